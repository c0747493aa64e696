#pragma once
// The team history's schema on the PostgreSQL server, as numbered
// migrations recorded in cmdai_schema (one row per applied migration).
//
// command_history holds the seed's columns (shared/seed/data-model.md) plus
// who pushed it (user_name, hostname), when (pushed_at), and columns the
// server derives: filter columns from the JSON metadata and `search`, the
// weighted tsvector (command A, user_input B, tags C, explanation D) with
// its GIN index. An optional migration needs an extension the server may
// not have: pg_trgm (typo tolerance; in PostgreSQL's contrib, usually
// present). One that cannot run is skipped and tried again on the next
// connection, so installing the extension later is enough. Embeddings
// (pgvector) are not pushed yet: Debian 12 does not package pgvector.
//
// migrate() holds a transaction-level advisory lock, so several machines
// connecting to a fresh server at once apply each migration exactly once.

#include <string>
#include <vector>

#include "core/error.h"
#include "team/connection.h"

namespace cmdai::team {

// What the server offers after migrating.
struct SchemaState {
  std::vector<int> applied;     // migration versions, ascending
  bool typo_tolerance = false;  // pg_trgm and its index are in place
};

// Creates or upgrades the schema. Errors: the server's; unavailable when
// the schema was written by a newer cmdai.
Result<SchemaState> migrate(Connection& connection);

int latest_server_schema_version();

}  // namespace cmdai::team
