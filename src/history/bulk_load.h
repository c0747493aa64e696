#pragma once
// A large insert into command_history without its per-row triggers. The
// triggers that keep the full-text index (command_history_fts) and the
// per-day rowid bounds (command_history_days) current run one statement per
// inserted row; for an import of many rows it is cheaper to leave them out
// during the inserts and bring both tables up to date with one statement
// each at the end.
//
// A batch at least as large as the table it goes into (an import into a
// new or small history) also drops the table's secondary indexes and
// builds each again from all rows at the end: one sort per index instead of
// a b-tree insert per row and index. A batch smaller than the table keeps
// them (rebuilding would sort every earlier row again).
//
// Begin and finish inside one write transaction (store::Transaction): the
// triggers are dropped in it and created again, from their own stored SQL,
// by finish(). If the transaction rolls back instead (an error, a crash,
// the process killed), the rows, the index entries and the triggers all
// go back to how they were: no other connection ever sees the table
// without its triggers.

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/database.h"

namespace cmdai::history {

inline constexpr std::int64_t k_bulk_cache_kib = 128 * 1024;  // page cache during a bulk load (allocated as used)

class BulkLoad {
 public:
  BulkLoad(BulkLoad&& other) noexcept;
  BulkLoad& operator=(BulkLoad&&) = delete;
  // Gives the connection its own page cache size back.
  ~BulkLoad();

  // Drops the insert triggers (and the secondary indexes when `rows`, the
  // batch's size, is at least the table's), notes where the new rows will start and
  // enlarges the connection's page cache (k_bulk_cache_kib) until the
  // BulkLoad is destroyed: the batch's rows go into indexes keyed by random
  // ids, and a cache smaller than those indexes spills pages to the WAL
  // in the middle of the transaction and reads them back. Errors: the
  // database's.
  static Result<BulkLoad> begin(store::Database& db, std::int64_t rows);

  // Indexes every row inserted since begin() for full-text search, records
  // their days' first rowids, builds the dropped indexes and restores the
  // triggers. Call once, before
  // the transaction commits. Errors: the database's (the caller then rolls
  // back).
  Result<void> finish();

 private:
  Result<void> drop_indexes_for(std::int64_t rows);

  struct SchemaObject {  // a trigger or an index, as sqlite_schema stores it
    std::string name;
    std::string sql;
  };
  BulkLoad(store::Database& db, std::int64_t last_rowid, std::int64_t cache_size)
      : m_db(&db), m_last_rowid(last_rowid), m_cache_size(cache_size) {}

  store::Database* m_db;      // null once moved from
  std::int64_t m_last_rowid;  // new rows have larger rowids
  std::int64_t m_cache_size;  // the connection's own PRAGMA cache_size
  std::vector<SchemaObject> m_triggers;
  std::vector<SchemaObject> m_indexes;  // dropped by begin(), built by finish()
};

}  // namespace cmdai::history
