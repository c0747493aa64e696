#pragma once
// A large insert into command_history without its per-row triggers. The
// triggers that keep the full-text index (command_history_fts) and the
// per-day rowid bounds (command_history_days) current run one statement per
// inserted row; for an import of many rows it is cheaper to leave them out
// during the inserts and bring both tables up to date with one statement
// each at the end.
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

class BulkLoad {
 public:
  // Drops the insert triggers and notes where the new rows will start.
  // Errors: the database's.
  static Result<BulkLoad> begin(store::Database& db);

  // Indexes every row inserted since begin() for full-text search, records
  // their days' first rowids and restores the triggers. Call once, before
  // the transaction commits. Errors: the database's (the caller then rolls
  // back).
  Result<void> finish();

 private:
  struct Trigger {
    std::string name;
    std::string sql;
  };
  BulkLoad(store::Database& db, std::int64_t last_rowid, std::vector<Trigger> triggers)
      : m_db(&db), m_last_rowid(last_rowid), m_triggers(std::move(triggers)) {}

  store::Database* m_db;
  std::int64_t m_last_rowid;  // new rows have larger rowids
  std::vector<Trigger> m_triggers;
};

}  // namespace cmdai::history
