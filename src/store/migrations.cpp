#include "store/migrations.h"

#include <array>
#include <string>

namespace cmdai::store {
namespace {

// The seed schema (shared/seed/data-model.md), verbatim, plus the triggers
// that keep the external-content FTS5 table in sync with command_history.
constexpr std::string_view k_seed_schema = R"sql(
CREATE TABLE command_history (
    id TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    user_input TEXT,
    explanation TEXT NOT NULL,
    shell_type TEXT NOT NULL,
    working_directory TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    execution_metadata TEXT,
    safety_metadata TEXT,
    tags TEXT,
    embedding_vector BLOB
);

CREATE VIRTUAL TABLE command_history_fts USING fts5(
    command, user_input, explanation, tags,
    content='command_history',
    content_rowid='rowid'
);

CREATE TABLE backend_metrics (
    backend_name TEXT PRIMARY KEY,
    avg_response_time_ms INTEGER,
    success_rate REAL,
    availability REAL,
    last_health_check TEXT,
    metrics_json TEXT
);

CREATE TABLE configuration (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    last_updated TEXT NOT NULL
);

CREATE TABLE embedding_cache (
    content_hash TEXT PRIMARY KEY,
    embedding_vector BLOB NOT NULL,
    created_at TEXT NOT NULL,
    access_count INTEGER DEFAULT 0,
    last_accessed TEXT NOT NULL
);

CREATE TRIGGER command_history_fts_insert AFTER INSERT ON command_history BEGIN
    INSERT INTO command_history_fts(rowid, command, user_input, explanation, tags)
    VALUES (new.rowid, new.command, new.user_input, new.explanation, new.tags);
END;

CREATE TRIGGER command_history_fts_delete AFTER DELETE ON command_history BEGIN
    INSERT INTO command_history_fts(command_history_fts, rowid, command, user_input, explanation, tags)
    VALUES ('delete', old.rowid, old.command, old.user_input, old.explanation, old.tags);
END;

CREATE TRIGGER command_history_fts_update AFTER UPDATE OF command, user_input, explanation, tags
ON command_history BEGIN
    INSERT INTO command_history_fts(command_history_fts, rowid, command, user_input, explanation, tags)
    VALUES ('delete', old.rowid, old.command, old.user_input, old.explanation, old.tags);
    INSERT INTO command_history_fts(rowid, command, user_input, explanation, tags)
    VALUES (new.rowid, new.command, new.user_input, new.explanation, new.tags);
END;
)sql";

constexpr std::string_view k_timestamp_index = R"sql(
CREATE INDEX command_history_timestamp ON command_history(timestamp);
)sql";

constexpr std::string_view k_directory_index = R"sql(
CREATE INDEX command_history_working_directory ON command_history(working_directory);
)sql";

// Per-entry state that is not part of the seed entity: favourites, how often
// an entry was replayed, and where it was recorded.
constexpr std::string_view k_entry_state = R"sql(
ALTER TABLE command_history ADD COLUMN favorite INTEGER NOT NULL DEFAULT 0;
ALTER TABLE command_history ADD COLUMN use_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE command_history ADD COLUMN session_id TEXT;
ALTER TABLE command_history ADD COLUMN hostname TEXT;
CREATE INDEX command_history_favorite ON command_history(favorite) WHERE favorite = 1;
CREATE INDEX command_history_use_count ON command_history(use_count) WHERE use_count > 0;
CREATE INDEX command_history_session ON command_history(session_id);
CREATE INDEX command_history_hostname ON command_history(hostname);
)sql";

// Filter columns computed from the seed's JSON columns, so that filters are
// plain SQL and the JSON stays the one source of truth.
constexpr std::string_view k_filter_columns = R"sql(
ALTER TABLE command_history ADD COLUMN exit_code INTEGER
    GENERATED ALWAYS AS (json_extract(execution_metadata, '$.exit_code')) VIRTUAL;
ALTER TABLE command_history ADD COLUMN backend_used TEXT
    GENERATED ALWAYS AS (json_extract(execution_metadata, '$.backend_used')) VIRTUAL;
ALTER TABLE command_history ADD COLUMN risk_level TEXT
    GENERATED ALWAYS AS (json_extract(safety_metadata, '$.risk_level')) VIRTUAL;
)sql";

// The index's own vocabulary, for typo-tolerant search (edit-distance
// expansion of words that match nothing).
constexpr std::string_view k_vocabulary = R"sql(
CREATE VIRTUAL TABLE command_history_vocab USING fts5vocab(command_history_fts, row);
)sql";

// The first rowid recorded on each day: a lower bound for the rows of a
// --since filter, so a text search walks only the index entries from then
// on instead of every match. Rowids of command_history never change (nothing
// vacuums it; its FTS index is keyed by them too). Deleted rows leave their
// day's value as it was, which keeps it a valid (looser) bound.
constexpr std::string_view k_day_bounds = R"sql(
CREATE TABLE command_history_days (
    day TEXT PRIMARY KEY,
    first_rowid INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO command_history_days(day, first_rowid)
    SELECT substr(timestamp, 1, 10), min(rowid) FROM command_history GROUP BY 1;
CREATE TRIGGER command_history_days_insert AFTER INSERT ON command_history BEGIN
    INSERT INTO command_history_days(day, first_rowid) VALUES (substr(new.timestamp, 1, 10), new.rowid)
    ON CONFLICT(day) DO UPDATE SET first_rowid = min(first_rowid, excluded.first_rowid);
END;
CREATE TRIGGER command_history_days_update AFTER UPDATE OF timestamp ON command_history BEGIN
    INSERT INTO command_history_days(day, first_rowid) VALUES (substr(new.timestamp, 1, 10), new.rowid)
    ON CONFLICT(day) DO UPDATE SET first_rowid = min(first_rowid, excluded.first_rowid);
END;
)sql";

// backend_metrics rows are keyed by what was measured - backend type,
// endpoint and model, "ollama|http://127.0.0.1:11434|qwen2.5-coder" - no
// longer by instance name, so renaming or correcting an instance never
// inherits a verdict. Rows keyed the old way cannot be told apart from a
// name alone; they are a cache and go (the next request measures afresh).
constexpr std::string_view k_metrics_by_measurement = R"sql(
DELETE FROM backend_metrics WHERE instr(backend_name, '|') = 0;
)sql";

// Ids have one form, lower-case: an entry imported with an upper-case id
// was unreachable by the lower-cased id every command looks up. (A
// lower-case twin already present keeps its id; the other row stays as
// it was.)
constexpr std::string_view k_lower_case_ids = R"sql(
UPDATE OR IGNORE command_history SET id = lower(id) WHERE id <> lower(id);
)sql";

// Which entries went to which team server (cmdai team push): a marker per
// entry id, so a push resumes after a failure and an entry deleted and
// re-recorded under a reused rowid is still pushed; and each server's last
// push for `cmdai team status`.
constexpr std::string_view k_team_push = R"sql(
CREATE TABLE team_pushed (
    server TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    PRIMARY KEY (server, entry_id)
) WITHOUT ROWID;
CREATE TABLE team_push_state (
    server TEXT PRIMARY KEY,
    last_push TEXT NOT NULL,
    pushed_total INTEGER NOT NULL DEFAULT 0
);
)sql";

// The entries that failed, for --exit nonzero (and --exit N): about one
// entry in ten, so a filter on them reads this small index instead of
// parsing the execution_metadata of every row (exit_code is computed).
constexpr std::string_view k_failed_index = R"sql(
CREATE INDEX command_history_failed ON command_history(exit_code) WHERE exit_code <> 0;
)sql";

constexpr std::array<Migration, 11> k_migrations{{
    {1, "seed schema", k_seed_schema},
    {2, "index on timestamp for newest-first listing", k_timestamp_index},
    {3, "index on working_directory for --cwd", k_directory_index},
    {4, "favorites, use count, session and hostname", k_entry_state},
    {5, "exit code, backend and risk level as filter columns", k_filter_columns},
    {6, "full-text vocabulary for typo tolerance", k_vocabulary},
    {7, "first rowid per day, bounding --since searches", k_day_bounds},
    {10, "backend metrics keyed by type, endpoint and model", k_metrics_by_measurement},
    {11, "history ids lower-case", k_lower_case_ids},
    {12, "entries pushed to team servers", k_team_push},
    {13, "index on failed entries for --exit", k_failed_index},
}};

}  // namespace

std::span<const Migration> migrations() { return k_migrations; }

int latest_schema_version() { return k_migrations.back().version; }

Result<void> migrate(Database& db) {
  auto current = db.query_int("PRAGMA user_version");
  if (!current) return fail(current.error());
  if (*current > latest_schema_version()) {
    return fail(ErrorCode::unavailable,
                "the history database " + db.path().string() + " was written by a newer cmdai (schema " +
                    std::to_string(*current) + ")",
                "upgrade cmdai to use it");
  }
  for (const Migration& migration : k_migrations) {
    if (migration.version <= *current) continue;
    auto transaction = Transaction::begin(db);
    if (!transaction) return fail(transaction.error());
    // Another process may have migrated while we waited for the lock.
    auto again = db.query_int("PRAGMA user_version");
    if (!again) return fail(again.error());
    if (*again >= migration.version) continue;
    CMDAI_TRY(db.exec(migration.sql));
    CMDAI_TRY(db.exec("PRAGMA user_version = " + std::to_string(migration.version)));
    CMDAI_TRY(transaction->commit());
  }
  return {};
}

}  // namespace cmdai::store
