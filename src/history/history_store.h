#pragma once
// HistoryStore: every command cmdai produced, with its metadata, in SQLite.
// Rows use the seed's command_history columns; JSON columns hold the seed's
// field names (core/entity_json.h). Per-entry state outside the seed entity
// (favourite, use count, host, session) lives in extra columns added by
// migrations (store/migrations.cpp) and travels in HistoryRecord.
//
// Privacy: with PrivacyMode::redact (the default) secrets are replaced in
// memory before the row is bound to a statement, so they never reach the
// database file, its WAL or its journal (history/redaction.h).
//
// Damage: open() detects a truncated or garbage file, moves it aside to
// "history.db.corrupt-<time>", salvages the rows it can still read into a
// fresh database and reports that in recovery().
//
// One HistoryStore per thread. Several processes may write at once: each
// write is one IMMEDIATE transaction, so writers queue (busy_timeout) instead
// of failing, and a write reported as done survives the process being killed.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/filters.h"
#include "history/redaction.h"
#include "history/retention.h"
#include "store/database.h"

namespace cmdai::history {

struct Page {
  std::int64_t offset = 0;
  std::int64_t limit = 20;  // newest first
};

enum class AutoCleanup { on, off };

struct HistoryOptions {
  PrivacyMode privacy = PrivacyMode::redact;
  RetentionPolicy retention;
  AutoCleanup auto_cleanup = AutoCleanup::on;  // apply retention after every write and every import
  std::string hostname;                        // stamped on new rows; empty: this machine's host name
  std::string session_id;                      // stamped on new rows; empty: none
  std::function<Timestamp()> clock;            // for retention ages; empty: the system clock
};

// An entry with the state cmdai keeps beside it.
struct HistoryRecord {
  CommandHistoryEntry entry;
  bool favorite = false;
  std::int64_t use_count = 0;  // times replayed
  std::optional<std::string> hostname;
  std::optional<std::string> session_id;
};

enum class StoreOutcome {
  stored,
  stored_redacted,  // stored with at least one secret replaced
  skipped_secret,   // PrivacyMode::skip and a secret was found: nothing written
};

struct RecoveryReport {
  std::filesystem::path moved_to;  // the damaged file, renamed
  std::string problem;             // what was wrong with it
  std::int64_t salvaged = 0;       // rows read back into the new database
  std::int64_t unreadable = 0;     // read errors met while salvaging
};

enum class Favorite { yes, no };

// The tag that is the favourite mark (see HistoryStore::add_tags).
inline constexpr std::string_view k_favorite_tag = "favorite";

// An id in its one stored form: ASCII letters lower-cased.
std::string canonical_id(std::string_view id);

class HistoryStore {
 public:
  // Opens the database at path, creating and migrating it as needed, with
  // default options (redaction on, default retention).
  static Result<HistoryStore> open(const std::filesystem::path& path);
  static Result<HistoryStore> open(const std::filesystem::path& path, HistoryOptions options);
  // For commands that only read (list, show, search, stats, export, doctor):
  // as open(), but a database cmdai may not write (a read-only file system,
  // no write permission on the file or its directory) is opened read-only,
  // without migrating or recovering it. Writes through such a store fail.
  static Result<HistoryStore> open_for_reading(const std::filesystem::path& path, HistoryOptions options = {});
  // True when the database at path (or, before it exists, its directory)
  // cannot be written by this process.
  static bool is_read_only(const std::filesystem::path& path);

  // Validates, redacts per the privacy mode and stores the entry. The id must
  // be new (invalid_argument otherwise); it is stored lower-case, the one
  // form ids have (get, resolve_id and every id argument take any case). An
  // embedding_vector must have the dimension of the embedding model the
  // history records (invalid_argument otherwise; history/embeddings.h). In
  // skip mode an entry holding a secret is silently not stored; use store()
  // to learn that.
  Result<void> insert(const CommandHistoryEntry& entry);
  Result<StoreOutcome> store(const CommandHistoryEntry& entry);
  // As store(), keeping favourite and use count (imports, salvage).
  Result<StoreOutcome> store(const HistoryRecord& record);
  // Many records in one transaction (imports): one outcome per record, in
  // order. A record that fails (bad entry, duplicate id) does not stop the
  // others; the call itself fails only when the database does. Retention is
  // not applied here: an import applies it once, at its end
  // (enforce_retention), and reports what it removed.
  // The records are taken (moved from by the caller, or copied).
  Result<std::vector<Result<StoreOutcome>>> store_batch(std::vector<HistoryRecord> records);

  Result<std::optional<CommandHistoryEntry>> get(const std::string& id);
  Result<std::optional<HistoryRecord>> get_record(const std::string& id);
  // The full id for a unique prefix (list shows 8 characters). Errors:
  // not_found; invalid_argument when the prefix names several entries.
  Result<std::string> resolve_id(const std::string& prefix);

  Result<std::vector<CommandHistoryEntry>> list(Page page);
  Result<std::vector<HistoryRecord>> list_records(Page page);
  // The entries the filters allow, newest first (`history list --source`,
  // `guard log`).
  Result<std::vector<HistoryRecord>> list_records(Page page, const SearchFilters& filters);
  Result<std::int64_t> count();

  // Errors: not_found for an unknown id.
  Result<void> remove(const std::string& id);
  Result<void> set_favorite(const std::string& id, Favorite favorite);
  // Tags: set_tags replaces them; add_tags and remove_tags change some and
  // return the entry's tags after the change. The tag "favorite" and the
  // favourite mark are one thing: adding or removing it marks or unmarks the
  // entry (and set_favorite adds or removes the tag), so retention keeps
  // what is tagged favorite.
  Result<void> set_tags(const std::string& id, const std::vector<std::string>& tags);
  Result<std::vector<std::string>> add_tags(const std::string& id, const std::vector<std::string>& tags);
  Result<std::vector<std::string>> remove_tags(const std::string& id, const std::vector<std::string>& tags);
  // Adds one to use_count (a replay).
  Result<void> record_use(const std::string& id);
  // Merges metadata into the stored execution_metadata (fields the caller
  // left unset or empty keep their stored values) and sets
  // safety_metadata.user_confirmed.
  Result<void> record_execution(const std::string& id, const ExecutionMetadata& metadata, bool user_confirmed);

  // Applies the retention policy when anything is due and automatic
  // retention is on; nullopt when nothing was removed or it is off.
  Result<std::optional<CleanupReport>> enforce_retention();
  // What retention removed after the last single write (store, insert), for
  // callers that tell the user; nullopt when it removed nothing. Every
  // removal is also logged.
  const std::optional<CleanupReport>& last_retention() const { return m_last_retention; }

  // Maintenance: a full integrity check, then retention, then the WAL
  // copied into the database file and emptied (store/database.h). A damaged database
  // is recovered as at open (see recovery()).
  Result<CleanupReport> cleanup();

  // Set when open() or cleanup() had to recover a damaged file.
  const std::optional<RecoveryReport>& recovery() const { return m_recovery; }
  const HistoryOptions& options() const { return m_options; }
  store::Database& database() { return m_db; }

 private:
  HistoryStore(store::Database db, HistoryOptions options) : m_db(std::move(db)), m_options(std::move(options)) {}
  static Result<HistoryStore> open_checked(const std::filesystem::path& path, const HistoryOptions& options);
  static Result<HistoryStore> recover(const std::filesystem::path& path, HistoryOptions options, const Error& problem);
  Result<StoreOutcome> write(const HistoryRecord& record);
  Result<HistoryRecord> prepare_row(HistoryRecord row, std::size_t& secrets) const;
  Result<void> insert_row(const HistoryRecord& record);
  void maybe_clean_up();
  Result<void> update_one(const std::string& sql, const std::string& id, const std::string& value);
  Timestamp now() const { return m_options.clock ? m_options.clock() : Clock::now(); }
  friend Result<RecoveryReport> salvage_into(HistoryStore& target, const std::filesystem::path& damaged);

  store::Database m_db;
  HistoryOptions m_options;
  std::optional<RecoveryReport> m_recovery;
  std::optional<store::Statement> m_insert;
  std::optional<CleanupReport> m_last_retention;
};

}  // namespace cmdai::history
