#pragma once
// The newest entries whose command contains what was typed: the Ctrl-R
// picker's answer while a query is being typed, as a shell's own reverse
// search answers (newest first, one row per command).
//
// Reads the table newest rowid first and stops once max_commands distinct
// commands are found, so a common text costs a few rows; a rare one reads
// at most the newest `window` rowids and stops there, so no keystroke
// walks a million entries. Full-text ranking, typo tolerance and concepts
// are history::search's and semantic's: callers that find nothing here ask
// those.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "history/filters.h"
#include "history/history_store.h"

namespace cmdai::history {

struct RecentMatchQuery {
  std::vector<std::string> words;  // each occurs in the command (ASCII case ignored); none: every entry
  SearchFilters filters;           // as `cmdai search` applies them
  std::size_t max_commands = 20;   // distinct commands wanted
  std::int64_t window = 20'000;    // only the newest this many rowids are read
};

// Newest first, one record per distinct command (its newest entry), at
// most max_commands. Errors: the database's.
Result<std::vector<HistoryRecord>> recent_matches(HistoryStore& store, const RecentMatchQuery& query);

// Whether any entry passes the filters (the filters' own indexes answer:
// a directory or host with no entries costs a lookup, not a search).
// Errors: the database's.
Result<bool> any_entry(HistoryStore& store, const SearchFilters& filters);

}  // namespace cmdai::history
