#pragma once
// HistoryStore: every command cmdai produced, with its metadata, in SQLite.
// Rows use the seed's command_history columns; JSON columns hold the seed's
// field names (core/entity_json.h).
//
// One HistoryStore per thread. Several processes may write at once: each
// write is one IMMEDIATE transaction, so writers queue instead of failing.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "store/database.h"

namespace cmdai::history {

struct Page {
  std::int64_t offset = 0;
  std::int64_t limit = 20;  // newest first
};

class HistoryStore {
 public:
  // Opens the database at path, creating and migrating it as needed.
  static Result<HistoryStore> open(const std::filesystem::path& path);

  // Validates and stores the entry. The id must be new.
  Result<void> insert(const CommandHistoryEntry& entry);
  Result<std::optional<CommandHistoryEntry>> get(const std::string& id);
  Result<std::vector<CommandHistoryEntry>> list(Page page);
  Result<std::int64_t> count();

  // Sets the entry's execution_metadata (replacing what generation stored)
  // and its safety_metadata.user_confirmed, after the command ran.
  // Errors: not_found when no entry has the id.
  Result<void> record_execution(const std::string& id, const ExecutionMetadata& metadata, bool user_confirmed);

  store::Database& database() { return m_db; }

 private:
  explicit HistoryStore(store::Database db) : m_db(std::move(db)) {}
  store::Database m_db;
};

}  // namespace cmdai::history
