#pragma once
// `cmdai search --team`: the team history on the server, searched with the
// local search's filters (server_filters.h) and ranked by the local
// blend (history/rank_blend.h) with the server's text relevance in place of
// BM25:
//
//   text = 1 + 5 * ts_rank(search, query)    full-text: every query word
//          (as PostgreSQL's 'simple' parser splits it) as a prefix; weights
//          command 1.0, user_input 0.4, tags 0.2, explanation 0.1
//   typo tolerance, as locally (history/typo.h): when the full-text
//          candidates are fewer than max_results, a query word that matches
//          no entry at all (a typo, not a rare word) is widened to the
//          indexed words (cmdai_words) within a small edit distance of it;
//          those results' similarity x 0.8, and the explanation says
//          "typo: sytemctl -> systemctl"
//
// Candidates, as locally: the newest candidate_limit entries that match and
// pass the filters; the blend then ranks them on this machine. They are
// looked for among the newest `window` entries first, then among as many
// newest entries as the matches found there say would hold enough, and
// among all only when those hold too few: the same candidates, without
// reading every match of a common word. Every result carries who pushed it
// and from which host.

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "history/embeddings.h"
#include "history/search.h"
#include "team/connection.h"
#include "team/server_schema.h"

namespace cmdai::team {

struct TeamSearchResult {
  history::SearchResult result;
  std::string user;
  std::string host;
};

inline constexpr std::size_t k_team_search_window = 5'000;
inline constexpr double k_min_vector_similarity = 0.05;  // as the local SignalLimits

// A query's vector and the model that made it.
struct QueryVector {
  history::EmbeddingModel model;
  std::vector<float> vector;
};

// Errors: the server's. window 0: every entry at once.
Result<std::vector<TeamSearchResult>> search_team(Connection& connection, const SchemaState& schema,
                                                  const history::SearchQuery& query,
                                                  std::size_t window = k_team_search_window);

// nullopt when the server holds no vectors of the query's model (or has no
// pgvector): the caller then searches by words. with_words: hybrid, else
// meaning only. Errors: the server's.
Result<std::optional<std::vector<TeamSearchResult>>> search_team_by_meaning(Connection& connection,
                                                                            const SchemaState& schema,
                                                                            const history::SearchQuery& query,
                                                                            const QueryVector& vector, bool with_words,
                                                                            std::size_t window = k_team_search_window);

}  // namespace cmdai::team
