#pragma once
// Schema migrations, numbered and applied in order; PRAGMA user_version
// records the last one applied. Migration 1 is the seed schema exactly; later
// ones only add (indexes, columns, tables) so older rows stay readable;
// cache rows that a new key makes unreadable are dropped (backend_metrics, 10).

#include <span>
#include <string_view>

#include "core/error.h"
#include "store/database.h"

namespace cmdai::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// All migrations cmdai knows, in order.
std::span<const Migration> migrations();
int latest_schema_version();

// Applies whatever is missing, each migration in its own transaction. A
// database newer than this binary is refused (not modified).
Result<void> migrate(Database& db);

}  // namespace cmdai::store
