#include "history/bulk_load.h"

#include <array>
#include <string_view>

#include "history/rows.h"

namespace cmdai::history {
namespace {

// The per-row insert triggers that finish() replaces with set statements
// (their SQL is in store/migrations.cpp; it is read back from the schema,
// so the triggers come back exactly as they were).
constexpr std::array<std::string_view, 2> k_insert_triggers{"command_history_fts_insert",
                                                            "command_history_days_insert"};

// What command_history_fts_insert does for each row, for all new rows.
constexpr std::string_view k_index_new_rows =
    "INSERT INTO command_history_fts(rowid, command, user_input, explanation, tags) "
    "SELECT rowid, command, user_input, explanation, tags FROM command_history WHERE rowid > ?1 ORDER BY rowid";

// What command_history_days_insert does for each row, for all new rows.
constexpr std::string_view k_bound_new_days =
    "INSERT INTO command_history_days(day, first_rowid) "
    "SELECT substr(timestamp, 1, 10), min(rowid) FROM command_history WHERE rowid > ?1 GROUP BY 1 "
    "ON CONFLICT(day) DO UPDATE SET first_rowid = min(first_rowid, excluded.first_rowid)";

// The secondary indexes of command_history (the primary key's own index
// has no SQL and stays).
constexpr std::string_view k_secondary_indexes =
    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'command_history' AND sql IS NOT NULL "
    "ORDER BY name";

Result<void> run_from(store::Database& db, std::string_view sql, std::int64_t last_rowid) {
  auto statement = db.prepare(sql);
  if (!statement) return fail(statement.error());
  statement->bind(1, last_rowid);
  return statement->run();
}

}  // namespace

Result<BulkLoad> BulkLoad::begin(store::Database& db, std::int64_t rows) {
  auto last = newest_rowid(db);
  if (!last) return fail(last.error());
  auto cache = db.query_int("PRAGMA cache_size");
  if (!cache) return fail(cache.error());
  BulkLoad load(db, *last, *cache);
  auto lookup = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1");
  if (!lookup) return fail(lookup.error());
  for (std::string_view name : k_insert_triggers) {
    lookup->bind(1, name);
    auto row = lookup->step();
    if (!row) return fail(row.error());
    // A database without the trigger (an older schema) has nothing to redo.
    if (*row) load.m_triggers.push_back({std::string(name), lookup->column_text(0)});
    // reset() only rewinds the statement; step() reported any error.
    (void)lookup->reset();
  }
  for (const SchemaObject& trigger : load.m_triggers) CMDAI_TRY(db.exec("DROP TRIGGER " + trigger.name));
  CMDAI_TRY(load.drop_indexes_for(rows));
  CMDAI_TRY(db.exec("PRAGMA cache_size = -" + std::to_string(k_bulk_cache_kib)));
  return load;
}

BulkLoad::BulkLoad(BulkLoad&& other) noexcept
    : m_db(other.m_db),
      m_last_rowid(other.m_last_rowid),
      m_cache_size(other.m_cache_size),
      m_triggers(std::move(other.m_triggers)),
      m_indexes(std::move(other.m_indexes)) {
  other.m_db = nullptr;
}

BulkLoad::~BulkLoad() {
  // Nobody to report to; the page cache's size only costs speed.
  if (m_db != nullptr) (void)m_db->exec("PRAGMA cache_size = " + std::to_string(m_cache_size));
}

Result<void> BulkLoad::drop_indexes_for(std::int64_t rows) {
  auto existing = m_db->query_int("SELECT count(*) FROM command_history");
  if (!existing) return fail(existing.error());
  if (rows < *existing) return {};
  auto statement = m_db->prepare(k_secondary_indexes);
  if (!statement) return fail(statement.error());
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    m_indexes.push_back({statement->column_text(0), statement->column_text(1)});
  }
  for (const SchemaObject& index : m_indexes) CMDAI_TRY(m_db->exec("DROP INDEX " + index.name));
  return {};
}

Result<void> BulkLoad::finish() {
  for (const SchemaObject& trigger : m_triggers) {
    if (trigger.name == k_insert_triggers[0]) CMDAI_TRY(run_from(*m_db, k_index_new_rows, m_last_rowid));
    if (trigger.name == k_insert_triggers[1]) CMDAI_TRY(run_from(*m_db, k_bound_new_days, m_last_rowid));
  }
  for (const SchemaObject& index : m_indexes) CMDAI_TRY(m_db->exec(index.sql));
  m_indexes.clear();
  for (const SchemaObject& trigger : m_triggers) CMDAI_TRY(m_db->exec(trigger.sql));
  m_triggers.clear();
  return {};
}

}  // namespace cmdai::history
