#pragma once
// Full-text search over history (FTS5, BM25).

#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/history_store.h"

namespace cmdai::history {

// Which entries a search may return; unset fields do not restrict.
struct SearchFilters {
  std::optional<Timestamp> since;   // timestamp >= since
  std::optional<Timestamp> before;  // timestamp < before
  std::optional<RiskLevel> risk_level;
  std::optional<std::string> tag;                // one of the entry's tags, exactly
  std::optional<std::string> working_directory;  // exactly this directory
};

struct SearchQuery {
  std::string text;
  std::size_t max_results = 10;
  double similarity_threshold = 0.0;
  SearchFilters filters = {};  // last, so {text, max, threshold} still initialises
};

struct SearchResult {
  CommandHistoryEntry entry;
  double similarity_score = 0;   // higher is better, in (0, 1]
  std::string matching_context;  // the snippet that matched
  std::string explanation;       // why it ranked
};

Result<std::vector<SearchResult>> search(HistoryStore& store, const SearchQuery& query);

// The query as an FTS5 MATCH expression: each word a quoted prefix term.
std::string to_fts_query(std::string_view text);

}  // namespace cmdai::history
