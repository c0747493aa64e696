#pragma once
// History entries by rowid, for searches that rank rowids rather than
// entries (semantic's hybrid search) and for walks bounded to the newest
// rows: the newest rowid, what a result shows, which entry an id names, and
// which rowids a filter allows. The table and its columns stay known here
// only.
//
// db is a history database (HistoryStore::database()).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/filters.h"
#include "history/history_store.h"
#include "store/database.h"

namespace cmdai::history {

// The highest and the lowest rowid of command_history (0 when it is empty):
// one read of the rowid b-tree's edge each, from statements kept for the
// connection (asked once or more per search and per picker key).
Result<std::int64_t> newest_rowid(store::Database& db);
Result<std::int64_t> oldest_rowid(store::Database& db);

// What a ranked result needs of its entry.
struct RowSummary {
  std::int64_t rowid = 0;
  std::string id;
  std::string command;
  Timestamp timestamp{};
  std::string working_directory;
};

// The entries of these rowids that exist, in no particular order.
Result<std::vector<RowSummary>> row_summaries(store::Database& db, std::span<const std::int64_t> rowids);

// The whole record of each rowid's entry, or nullopt for a rowid no entry
// has (deleted); in order. For a caller that ranks rowids and shows entries.
Result<std::vector<std::optional<HistoryRecord>>> records_at(store::Database& db, std::span<const std::int64_t> rowids);

// Each id's rowid (any case), or nullopt for an id no entry has; in order.
Result<std::vector<std::optional<std::int64_t>>> rowids_of(store::Database& db, std::span<const std::string> ids);

// filter is to_sql(filters, "h", first_parameter): the rowids it allows,
// ascending, or nullopt as soon as more than `cap` pass.
Result<std::optional<std::vector<std::int64_t>>> filtered_rowids(store::Database& db, const SqlFilter& filter,
                                                                 int first_parameter, std::size_t cap);
// Those of `rowids` the filter allows, ascending.
Result<std::vector<std::int64_t>> filtered_among(store::Database& db, const SqlFilter& filter, int first_parameter,
                                                 std::span<const std::int64_t> rowids);

}  // namespace cmdai::history
