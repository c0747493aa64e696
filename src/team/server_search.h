#pragma once
// `cmdai search --team`: the team history on the server, searched with the
// local search's filters (server_filters.h) and ranked by the local
// blend (history/rank_blend.h) with the server's text relevance in place of
// BM25:
//
//   text = 1 + 5 * ts_rank(search, query)    full-text: every query word
//          (as PostgreSQL's 'simple' parser splits it) as a prefix; weights
//          command 1.0, user_input 0.4, tags 0.2, explanation 0.1
//   text = 1 + 5 * word_similarity(query, command), similarity x 0.8
//          typo tolerance (pg_trgm, word similarity 0.4 or more), when the
//          full-text candidates are fewer than max_results and a query
//          word matches no entry at all (as locally: a typo, not a rare
//          word), on servers with pg_trgm
//
// Candidates, as locally: the newest candidate_limit entries that match and
// pass the filters; the blend then ranks them on this machine. Every
// result carries who pushed it and from which host.

#include <string>
#include <vector>

#include "core/error.h"
#include "history/search.h"
#include "team/connection.h"
#include "team/server_schema.h"

namespace cmdai::team {

struct TeamSearchResult {
  history::SearchResult result;
  std::string user;
  std::string host;
};

// Errors: the server's.
Result<std::vector<TeamSearchResult>> search_team(Connection& connection, const SchemaState& schema,
                                                  const history::SearchQuery& query);

}  // namespace cmdai::team
