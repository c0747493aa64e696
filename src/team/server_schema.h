#pragma once
// The team history's schema on the PostgreSQL server, as numbered
// migrations recorded in cmdai_schema (one row per applied migration).
//
// command_history holds the seed's columns (shared/seed/data-model.md) plus
// who pushed it (user_name, hostname), when (pushed_at), filter columns
// the server derives from the JSON metadata, `search`, the weighted
// tsvector (command A, user_input B, tags C, explanation D) with its GIN
// index, and cmdai_words, every word that index holds (typo tolerance). An optional migration needs an extension the
// server may not have; one that cannot run is skipped and tried again on the next connection, so installing the
// extension later is enough. Migration 2 (pg_trgm's index on command) is superseded by the word table of migration 3: a
// server that has 3 never gets 2, and 3 drops its index. Migration 1 generated the vector on the server; since
// migration 4 push writes it, by the same expression over words this machine split where it can (search_words.h), so
// every row's vector is the one migration 1 gave. Migration 5 (pgvector's `vector` extension) adds the entries'
// embeddings: cmdai_embedding_models, one row per model and dimension, and cmdai_embeddings, one vector per entry and
// model, with an HNSW index per model (push_vectors.h).
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
  bool typo_tolerance = false;  // the indexed words (cmdai_words) are there
  bool vectors = false;         // entries' embeddings can be stored and searched (pgvector)
};

int latest_server_schema_version();

// Creates or upgrades the schema, applying the migrations up to version
// up_to (tests build older servers with a lower one). Errors: the
// server's; unavailable when the schema was written by a newer cmdai.
Result<SchemaState> migrate(Connection& connection, int up_to = latest_server_schema_version());

}  // namespace cmdai::team
