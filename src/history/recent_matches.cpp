#include "history/recent_matches.h"

#include <unordered_set>

#include "core/utf8.h"
#include "history/record_row.h"
#include "history/rows.h"

namespace cmdai::history {
namespace {

// Rowids newest first from ?1 up, every word in the command (?2...), the
// filters after them. NOT INDEXED: a filter's own index (host, directory)
// would read all of its rows and sort them; the rowid range reads only the
// window, newest first, and stops when the caller stops stepping.
std::string matching_sql(std::size_t words, const SqlFilter& filter) {
  std::string sql = "SELECT h.rowid, h.command FROM command_history AS h NOT INDEXED WHERE h.rowid > ?1";
  for (std::size_t i = 0; i < words; ++i) sql += " AND instr(lower(h.command), ?" + std::to_string(i + 2) + ") > 0";
  return sql + filter.where + " ORDER BY h.rowid DESC";
}

Result<std::vector<std::int64_t>> newest_distinct(store::Database& db, const RecentMatchQuery& query) {
  auto highest = newest_rowid(db);
  if (!highest) return fail(highest.error());
  const int first_filter = 2 + static_cast<int>(query.words.size());
  const SqlFilter filter = to_sql(query.filters, "h", first_filter);
  auto statement = db.prepare(matching_sql(query.words.size(), filter));
  if (!statement) return fail(statement.error());
  statement->bind(1, *highest - query.window);
  for (std::size_t i = 0; i < query.words.size(); ++i) {
    statement->bind(2 + static_cast<int>(i), ascii_lower(query.words[i]));
  }
  for (std::size_t i = 0; i < filter.parameters.size(); ++i) {
    std::visit([&](const auto& value) { statement->bind(first_filter + static_cast<int>(i), value); },
               filter.parameters[i]);
  }
  std::vector<std::int64_t> rowids;
  std::unordered_set<std::string> seen;
  while (rowids.size() < query.max_commands) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    if (seen.insert(statement->column_text(1)).second) rowids.push_back(statement->column_int(0));
  }
  return rowids;
}

}  // namespace

Result<std::vector<HistoryRecord>> recent_matches(HistoryStore& store, const RecentMatchQuery& query) {
  std::vector<HistoryRecord> records;
  if (query.max_commands == 0) return records;
  auto rowids = newest_distinct(store.database(), query);
  if (!rowids) return fail(rowids.error());
  auto statement =
      store.database().prepare("SELECT " + std::string(k_record_columns) + " FROM command_history WHERE rowid = ?1");
  if (!statement) return fail(statement.error());
  for (std::int64_t rowid : *rowids) {
    // reset() only rewinds the statement; step() reported any error.
    (void)statement->reset();
    statement->bind(1, rowid);
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) continue;
    auto record = read_record(*statement);
    if (!record) return fail(record.error());
    records.push_back(std::move(*record));
  }
  return records;
}

Result<bool> any_entry(HistoryStore& store, const SearchFilters& filters) {
  const SqlFilter filter = to_sql(filters, "h", 1);
  auto statement =
      store.database().prepare("SELECT EXISTS (SELECT 1 FROM command_history AS h WHERE 1" + filter.where + ")");
  if (!statement) return fail(statement.error());
  for (std::size_t i = 0; i < filter.parameters.size(); ++i) {
    std::visit([&](const auto& value) { statement->bind(1 + static_cast<int>(i), value); }, filter.parameters[i]);
  }
  auto row = statement->step();
  if (!row) return fail(row.error());
  return *row && statement->column_int(0) != 0;
}

}  // namespace cmdai::history
