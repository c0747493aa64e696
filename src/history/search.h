#pragma once
// Full-text search over history: FTS5 with BM25 over command, user input,
// explanation and tags; whole words first, then every word as a prefix when
// whole words find fewer than max_results (unless prefix_pass is off); typo
// tolerance for each word that matches nothing or is far rarer than a near
// spelling, whatever the other words match (history/typo.h); filters in the
// same SQL statement (history/filters.h).
//
// Candidates: the newest candidate_limit entries that match the words and
// pass every filter (filters are in that WHERE clause, before its LIMIT).
// This bounds a query's cost however common its words are; an older match
// beyond the newest candidate_limit is not ranked.
//
// Ranking (in SQL, over the candidates, then LIMIT max_results):
//   text     = 1 - bm25(command 4, user_input 2, explanation 1, tags 2)
//              (bm25 is <= 0; the 1 keeps a match's boosts meaningful when a
//              word is in most entries and BM25's IDF drops to ~0; each
//              word's match count for the IDF is counted up to 2000 and
//              estimated beyond, history/search_rank.h)
//   recency  = 1 / (1 + age_days / 7)            1 today, 0.5 a week ago
//   usage    = use_count / (use_count + 3)       0 never replayed, -> 1
//   place    = 1 same directory as the query's, 0.5 below it, else 0
//   score    = text * (1 + 0.5 recency + 0.3 usage + 0.3 place + 0.2 favorite)
//   similarity_score = score / (score + 5), times 0.8 when a typo was corrected
// `explanation` in each result spells these parts out.

#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/filters.h"
#include "history/history_store.h"

namespace cmdai::history {

class TermCounts;  // full_text.h

inline constexpr std::size_t k_search_candidates = 300;

// Whether a search whose whole words find fewer than max_results searches
// again with every word as a prefix (cmdai search), or not (a caller that
// finds prefixes another way: the picker's ranked search, through the
// hybrid search's word signal, which reads a few terms per prefix where
// FTS5 merges the postings of every term a prefix starts).
enum class PrefixPass { when_few, off };

struct SearchQuery {
  // {text, max_results, similarity_threshold} as before filters existed.
  SearchQuery(std::string text_ = {}, std::size_t max_results_ = 10, double similarity_threshold_ = 0.0,
              SearchFilters filters_ = {})
      : text(std::move(text_)),
        max_results(max_results_),
        similarity_threshold(similarity_threshold_),
        filters(std::move(filters_)) {}

  std::string text;
  std::size_t max_results = 10;
  double similarity_threshold = 0.0;  // results below it are dropped
  SearchFilters filters;
  std::string current_directory;  // for the same-directory boost; empty: none
  std::optional<Timestamp> now;   // for recency; unset: the system clock
  std::size_t candidate_limit = k_search_candidates;
  PrefixPass prefix_pass = PrefixPass::when_few;
  // The index's terms as a caller keeps them (a hybrid search shares its
  // word signal's): the typo check reads its counts there instead of
  // counting postings again. Null: counted for this search.
  TermCounts* term_counts = nullptr;
};

struct SearchResult {
  CommandHistoryEntry entry;
  double similarity_score = 0;   // higher is better, in (0, 1)
  std::string matching_context;  // the snippet that matched, matches in [brackets]
  std::string explanation;       // why it ranked
};

// Errors: only the database's (a query with no searchable words gives no
// results, never an error).
Result<std::vector<SearchResult>> search(HistoryStore& store, const SearchQuery& query);

// The entries search() returns, in its order, as rowids: no entry is read,
// marked or explained (for a search that ranks them as one of its signals).
// Errors: the database's.
Result<std::vector<std::int64_t>> search_rowids(HistoryStore& store, const SearchQuery& query);

// The query as an FTS5 MATCH expression: each word a quoted prefix term;
// words without a letter or digit are dropped.
std::string to_fts_query(std::string_view text);

}  // namespace cmdai::history
