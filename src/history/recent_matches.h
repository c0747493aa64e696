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
#include <deque>
#include <map>
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

// The commands of the newest `window` entries, held in memory by a caller
// that walks them many times (the picker walks once per key): a walk then
// reads no table pages, which at a million entries is most of its cost
// when the words match nothing. recent_matches brings it up to date before
// each walk (entries added since are read, entries that left the window
// dropped, an entry found deleted dropped). One store, one thread.
class RecentCommands {
 public:
  RecentCommands() = default;

  // Reads the newest `window` entries' commands now, as the first walk
  // would (a caller may do it before its first key). Errors: the database's.
  Result<void> load(HistoryStore& store, std::int64_t window) { return refresh(store.database(), window); }

 private:
  friend Result<std::vector<HistoryRecord>> recent_matches(HistoryStore& store, const RecentMatchQuery& query,
                                                           RecentCommands& commands);
  struct Command {
    std::int64_t rowid = 0;
    std::string text;
    std::string lower;  // ASCII case folded, as the walk compares
  };
  struct Chosen {
    std::int64_t rowid = 0;
    std::string text;
  };
  Result<void> refresh(store::Database& db, std::int64_t window);
  // The newest entries whose command holds every (folded) word, one per
  // distinct command, at most max.
  std::vector<Chosen> newest_distinct(const std::vector<std::string>& words, std::size_t max) const;
  void forget(std::int64_t rowid);
  void clear();

  std::deque<Command> m_commands;  // oldest first
  std::int64_t m_highest = 0;      // the newest rowid when last brought up to date
  std::int64_t m_window = -1;      // -1: never filled
};

// The same answer, from `commands` when the query has no filters (its
// filters stay SQL: the walk above).
Result<std::vector<HistoryRecord>> recent_matches(HistoryStore& store, const RecentMatchQuery& query,
                                                  RecentCommands& commands);

// The rowids a ranked search answered, remembered by the caller's key
// (its query) while the history's newest entry stays the same: a
// long-lived caller asked the same query again (the picker, whose
// Backspace returns to a query typed a moment ago) reads them instead of
// ranking again. An answer is as ranked when first asked (its recency as
// of then; an older entry edited or deleted since is the caller's to skip
// when it reads the rows). One store, one thread.
class RankedAnswers {
 public:
  // The remembered answer for key, or nullptr; all are forgotten first
  // when the history's newest entry changed. The pointer is valid until
  // the next call. Errors: the database's.
  Result<const std::vector<std::int64_t>*> find(store::Database& db, const std::string& key);
  // Remembers an answer computed since the last find().
  void remember(std::string key, std::vector<std::int64_t> rowids);

 private:
  std::map<std::string, std::vector<std::int64_t>> m_answers;
  std::int64_t m_newest = -1;  // the newest rowid the answers were computed at
};

// Whether any entry passes the filters (the filters' own indexes answer:
// a directory or host with no entries costs a lookup, not a search).
// Errors: the database's.
Result<bool> any_entry(HistoryStore& store, const SearchFilters& filters);

}  // namespace cmdai::history
