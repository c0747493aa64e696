#include "history/rows.h"

#include <algorithm>

#include "core/time.h"
#include "history/history_store.h"
#include "history/record_row.h"

namespace cmdai::history {
namespace {

void bind_filter(store::Statement& statement, const SqlFilter& filter, int first_parameter) {
  for (std::size_t i = 0; i < filter.parameters.size(); ++i) {
    const int index = first_parameter + static_cast<int>(i);
    std::visit([&](const auto& value) { statement.bind(index, value); }, filter.parameters[i]);
  }
}

std::string rowid_list(std::span<const std::int64_t> rowids) {
  std::string list;
  for (const std::int64_t rowid : rowids) list += (list.empty() ? "" : ",") + std::to_string(rowid);
  return list;
}

// The one number an aggregate query gives, from a kept statement.
Result<std::int64_t> kept_query_int(store::Database& db, std::string_view sql) {
  auto statement = db.prepare_cached(sql);
  if (!statement) return fail(statement.error());
  auto row = statement->step();
  if (!row) return fail(row.error());
  return *row ? statement->column_int(0) : 0;
}

}  // namespace

Result<std::int64_t> newest_rowid(store::Database& db) {
  return kept_query_int(db, "SELECT coalesce(max(rowid), 0) FROM command_history");
}

Result<std::int64_t> oldest_rowid(store::Database& db) {
  return kept_query_int(db, "SELECT coalesce((SELECT min(rowid) FROM command_history), 0)");
}

Result<std::vector<std::optional<HistoryRecord>>> records_at(store::Database& db,
                                                             std::span<const std::int64_t> rowids) {
  std::vector<std::optional<HistoryRecord>> records;
  auto statement =
      db.prepare_cached("SELECT " + std::string(k_record_columns) + " FROM command_history WHERE rowid = ?1");
  if (!statement) return fail(statement.error());
  for (std::int64_t rowid : rowids) {
    // reset() only rewinds the statement; step() reported any error.
    (void)statement->reset();
    statement->bind(1, rowid);
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) {
      records.emplace_back();
      continue;
    }
    auto record = read_record(*statement);
    if (!record) return fail(record.error());
    records.emplace_back(std::move(*record));
  }
  return records;
}

Result<std::vector<RowSummary>> row_summaries(store::Database& db, std::span<const std::int64_t> rowids) {
  std::vector<RowSummary> rows;
  if (rowids.empty()) return rows;
  auto statement =
      db.prepare("SELECT rowid, id, command, timestamp, working_directory FROM command_history WHERE rowid IN (" +
                 rowid_list(rowids) + ")");
  if (!statement) return fail(statement.error());
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    RowSummary summary{
        statement->column_int(0), statement->column_text(1), statement->column_text(2), {}, statement->column_text(4)};
    if (auto time = parse_iso8601(statement->column_text(3))) summary.timestamp = *time;
    rows.push_back(std::move(summary));
  }
  return rows;
}

Result<std::vector<std::optional<std::int64_t>>> rowids_of(store::Database& db, std::span<const std::string> ids) {
  auto lookup = db.prepare("SELECT rowid FROM command_history WHERE id = ?1");
  if (!lookup) return fail(lookup.error());
  std::vector<std::optional<std::int64_t>> out;
  for (const auto& id : ids) {
    lookup->bind(1, canonical_id(id));
    auto row = lookup->step();
    if (!row) return fail(row.error());
    out.push_back(*row ? std::optional<std::int64_t>(lookup->column_int(0)) : std::nullopt);
    CMDAI_TRY(lookup->reset());
  }
  return out;
}

Result<std::optional<std::vector<std::int64_t>>> filtered_rowids(store::Database& db, const SqlFilter& filter,
                                                                 int first_parameter, std::size_t cap) {
  // No ORDER BY: SQLite would sort every allowed row before returning the
  // first, and the cap could not stop it early.
  auto statement = db.prepare("SELECT h.rowid FROM command_history h WHERE 1" + filter.where);
  if (!statement) return fail(statement.error());
  bind_filter(*statement, filter, first_parameter);
  std::vector<std::int64_t> rowids;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    if (rowids.size() == cap) return std::optional<std::vector<std::int64_t>>{};
    rowids.push_back(statement->column_int(0));
  }
  std::sort(rowids.begin(), rowids.end());
  return std::optional<std::vector<std::int64_t>>(std::move(rowids));
}

Result<std::vector<std::int64_t>> filtered_among(store::Database& db, const SqlFilter& filter, int first_parameter,
                                                 std::span<const std::int64_t> rowids) {
  std::vector<std::int64_t> passed;
  if (rowids.empty()) return passed;
  auto statement =
      db.prepare("SELECT h.rowid FROM command_history h WHERE h.rowid IN (" + rowid_list(rowids) + ")" + filter.where);
  if (!statement) return fail(statement.error());
  bind_filter(*statement, filter, first_parameter);
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    passed.push_back(statement->column_int(0));
  }
  std::sort(passed.begin(), passed.end());
  return passed;
}

}  // namespace cmdai::history
