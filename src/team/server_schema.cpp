#include "team/server_schema.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace cmdai::team {
namespace {

// Any number both cmdai processes agree on: pg_advisory_xact_lock's key.
constexpr std::string_view k_migration_lock = "SELECT pg_advisory_xact_lock(7146228133)";

constexpr std::string_view k_version_table = R"sql(
CREATE TABLE IF NOT EXISTS cmdai_schema (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
)sql";

constexpr std::string_view k_entries = R"sql(
CREATE TABLE command_history (
    id UUID PRIMARY KEY,
    user_name TEXT NOT NULL,
    hostname TEXT NOT NULL,
    command TEXT NOT NULL,
    user_input TEXT,
    explanation TEXT NOT NULL,
    shell_type TEXT NOT NULL,
    working_directory TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ NOT NULL,
    execution_metadata JSONB,
    safety_metadata JSONB,
    tags JSONB NOT NULL DEFAULT '[]',
    favorite BOOLEAN NOT NULL DEFAULT false,
    use_count INTEGER NOT NULL DEFAULT 0,
    pushed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    exit_code INTEGER GENERATED ALWAYS AS ((execution_metadata ->> 'exit_code')::integer) STORED,
    backend_used TEXT GENERATED ALWAYS AS (execution_metadata ->> 'backend_used') STORED,
    risk_level TEXT GENERATED ALWAYS AS (safety_metadata ->> 'risk_level') STORED,
    search TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', regexp_replace(command, '[[:punct:][:space:]]+', ' ', 'g')), 'A') ||
        setweight(to_tsvector('simple', regexp_replace(coalesce(user_input, ''), '[[:punct:][:space:]]+', ' ', 'g')),
                  'B') ||
        setweight(to_tsvector('simple', regexp_replace(tags::text, '[[:punct:][:space:]]+', ' ', 'g')), 'C') ||
        setweight(to_tsvector('simple', regexp_replace(explanation, '[[:punct:][:space:]]+', ' ', 'g')), 'D')) STORED
);
CREATE INDEX command_history_search ON command_history USING gin (search);
CREATE INDEX command_history_timestamp ON command_history ("timestamp");
CREATE INDEX command_history_directory ON command_history (working_directory text_pattern_ops);
CREATE INDEX command_history_owner ON command_history (user_name, hostname);
)sql";

constexpr std::string_view k_trigrams = R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX command_history_command_trigrams ON command_history USING gin (command gin_trgm_ops);
)sql";

// Every word the full-text index holds, for typo tolerance: a word that
// matches nothing is compared with the indexed words sharing its first
// letters, as the local search does with its FTS vocabulary. A push adds
// the words of the entries it inserts (push.cpp). It replaces the trigram
// index on command, which cost each insert more than the whole rest.
constexpr std::string_view k_words = R"sql(
CREATE TABLE cmdai_words (word TEXT COLLATE "C" PRIMARY KEY);
INSERT INTO cmdai_words (word)
    SELECT DISTINCT w.lexeme FROM command_history, unnest(search) AS w ORDER BY 1 ON CONFLICT DO NOTHING;
DROP INDEX IF EXISTS command_history_command_trigrams;
)sql";

// The vector becomes a column push writes (push.cpp: from the words this
// machine split, search_words.h, with migration 1's expression for the rest),
// which spares the server a regular expression per field and row; rows
// already there keep theirs. The index on the owner served only forget,
// which now narrows by the primary key (an id prefix is a range of ids).
constexpr std::string_view k_pushed_vectors = R"sql(
ALTER TABLE command_history ALTER COLUMN search DROP EXPRESSION;
ALTER TABLE command_history ALTER COLUMN search SET NOT NULL;
DROP INDEX IF EXISTS command_history_owner;
)sql";

// Entries' embeddings (pgvector), one per entry and model: push sends the
// vectors this machine's model made (push_vectors.h); a search by meaning
// compares the query's vector with those of the same model. Machines may
// index with different models, so the column has no fixed dimension; each
// model gets its own HNSW index over its rows, with the dimension cast in
// the index expression, when its first vector arrives.
constexpr std::string_view k_vectors = R"sql(
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE cmdai_embedding_models (
    number SERIAL PRIMARY KEY,
    model TEXT NOT NULL,
    dimensions INTEGER NOT NULL CHECK (dimensions BETWEEN 1 AND 2000),
    UNIQUE (model, dimensions)
);
CREATE TABLE cmdai_embeddings (
    id UUID NOT NULL REFERENCES command_history (id) ON DELETE CASCADE,
    model INTEGER NOT NULL REFERENCES cmdai_embedding_models (number),
    embedding vector NOT NULL,
    PRIMARY KEY (id, model)
);
)sql";

struct ServerMigration {
  int version;
  std::string_view description;
  std::string_view sql;
  std::string_view extension;  // "" when none is needed
  int superseded_by = 0;       // once that one is applied, this one never is
};

constexpr int k_words_version = 3;

constexpr int k_vectors_version = 5;

constexpr std::array<ServerMigration, 5> k_server_migrations{{
    {1, "team history entries with full-text search", k_entries, ""},
    {2, "trigram index for typo-tolerant search", k_trigrams, "pg_trgm", k_words_version},
    {k_words_version, "indexed words for typo-tolerant search", k_words, ""},
    {4, "full-text vectors written by push; no owner index", k_pushed_vectors, ""},
    {k_vectors_version, "entry embeddings for search by meaning (pgvector)", k_vectors, "vector"},
}};

bool contains(const std::vector<int>& versions, int version) {
  return std::find(versions.begin(), versions.end(), version) != versions.end();
}

Result<bool> extension_available(Connection& connection, std::string_view name) {
  auto rows = connection.query("SELECT 1 FROM pg_available_extensions WHERE name = $1", {std::string(name)});
  if (!rows) return fail(rows.error());
  return rows->size() > 0;
}

Result<std::vector<int>> applied_versions(Connection& connection) {
  auto rows = connection.query("SELECT version FROM cmdai_schema ORDER BY version");
  if (!rows) return fail(rows.error());
  std::vector<int> versions;
  for (int i = 0; i < rows->size(); ++i) versions.push_back(static_cast<int>(rows->integer(i, 0)));
  return versions;
}

Result<void> apply(Connection& connection, const ServerMigration& migration) {
  CMDAI_TRY(connection.exec(migration.sql));
  auto recorded = connection.query("INSERT INTO cmdai_schema (version, description) VALUES ($1, $2)",
                                   {std::to_string(migration.version), std::string(migration.description)});
  if (!recorded) return fail(recorded.error());
  return {};
}

// An extension may be available but not ours to create (pgvector needs a
// superuser): the migration is then skipped, inside a savepoint so that the
// rest of the transaction stands. Returns whether it was applied.
Result<bool> apply_optional(Connection& connection, const ServerMigration& migration) {
  auto available = extension_available(connection, migration.extension);
  if (!available) return fail(available.error());
  if (!*available) return false;
  CMDAI_TRY(connection.exec("SAVEPOINT optional_migration"));
  if (apply(connection, migration)) return true;
  CMDAI_TRY(connection.exec("ROLLBACK TO SAVEPOINT optional_migration"));
  return false;
}

}  // namespace

int latest_server_schema_version() { return k_server_migrations.back().version; }

Result<SchemaState> migrate(Connection& connection, int up_to) {
  auto transaction = ServerTransaction::begin(connection);
  if (!transaction) return fail(transaction.error());
  CMDAI_TRY(connection.exec(k_migration_lock));
  CMDAI_TRY(connection.exec(k_version_table));
  auto applied = applied_versions(connection);
  if (!applied) return fail(applied.error());
  if (!applied->empty() && applied->back() > latest_server_schema_version()) {
    return fail(ErrorCode::unavailable,
                "the team server's schema (version " + std::to_string(applied->back()) + ") is newer than this cmdai",
                "upgrade cmdai on this machine");
  }
  for (const ServerMigration& migration : k_server_migrations) {
    if (migration.version > up_to || contains(*applied, migration.version)) continue;
    if (migration.superseded_by != 0 && contains(*applied, migration.superseded_by)) continue;
    if (migration.extension.empty()) {
      CMDAI_TRY(apply(connection, migration));
    } else {
      auto done = apply_optional(connection, migration);
      if (!done) return fail(done.error());
      if (!*done) continue;
    }
    applied->push_back(migration.version);
  }
  CMDAI_TRY(transaction->commit());
  std::sort(applied->begin(), applied->end());
  SchemaState state;
  state.typo_tolerance = contains(*applied, k_words_version);
  state.vectors = contains(*applied, k_vectors_version);
  state.applied = std::move(*applied);
  return state;
}

}  // namespace cmdai::team
