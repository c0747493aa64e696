#pragma once
// The SQLite database: RAII connection and prepared statements. SQLite's own
// result codes never leave this module; they become Error values here.
//
// A Database is used by one thread at a time. Several processes may open the
// same file: WAL mode and a busy timeout serialise writers without errors.
//
// Checkpoints (store/checkpoint.cpp). SQLite's automatic checkpoint copies the
// WAL into the database file and syncs both inside the commit that takes the
// WAL past 1000 frames, and the last connection to close does the same and
// deletes the WAL, so the next process's first commit creates it again and
// syncs its header: milliseconds of syncs inside writes somebody waits for.
// A read-write Database instead
//  - only counts the WAL's frames after each commit, and checkpoints inside
//    a commit only past k_wal_limit_frames (a writer that never pauses);
//  - keeps the WAL when it closes (history.db-wal and -shm stay beside the
//    database; copy all three, or run `cmdai history cleanup` first);
//  - runs checkpoint_if_due() when it is destroyed, and callers run it when
//    nobody is waiting for them.
// Durability is what synchronous=NORMAL gives in WAL mode: a commit survives
// the process being killed at once; after a power loss the file is
// consistent and holds every commit the OS had written out (at the latest,
// those before the last checkpoint).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

// SQLite's handles, declared here so that includers do not see sqlite3.h;
// a file that calls the SQLite API itself includes <sqlite3.h>.
struct sqlite3;
struct sqlite3_stmt;

namespace cmdai::store {

class StatementShelf;

class Statement {
 public:
  Statement() = default;
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Parameters are 1-based as in SQLite. Text and blobs are copied.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  Statement& bind_blob(int index, const void* data, std::size_t size);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  // Binds text without copying it (SQLITE_STATIC): `text` must stay as it
  // is until the statement is reset (reset() clears every binding) or
  // destroyed. For rows written in bulk, whose text outlives their step.
  Statement& bind_static(int index, std::string_view text);
  template <typename T>
  Statement& bind_static(int index, const std::optional<T>& value) {
    return value ? bind_static(index, *value) : bind_null(index);
  }

  // true: a row is ready; false: done. Errors (busy past the timeout,
  // constraint, corruption) come back as Error.
  Result<bool> step();
  // Runs to completion, ignoring rows.
  Result<void> run();
  Result<void> reset();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::vector<std::uint8_t> column_blob(int column) const;

 private:
  friend class Database;
  // Finalizes the statement, or gives it back to the shelf it was lent
  // from (Database::prepare_cached) while that shelf exists.
  struct Finalizer {
    std::weak_ptr<StatementShelf> shelf;
    std::string sql;
    void operator()(sqlite3_stmt* statement) const;
  };
  Statement(sqlite3_stmt* statement, sqlite3* db) : m_statement(statement), m_db(db) {}
  Statement(sqlite3_stmt* statement, sqlite3* db, Finalizer finalizer)
      : m_statement(statement, std::move(finalizer)), m_db(db) {}

  std::unique_ptr<sqlite3_stmt, Finalizer> m_statement;
  sqlite3* m_db = nullptr;
};

enum class OpenMode { read_write_create, read_only };

enum class CheckpointMode {
  passive,   // copies what it can without waiting for anyone
  truncate,  // waits (up to a given time) for readers and writers, copies everything, empties the WAL file
};

// The WAL's length in frames and how many of them are in the database file.
struct WalStatus {
  int frames = 0;
  int backfilled = 0;
};

inline constexpr int k_busy_timeout_ms = 10000;       // how long a statement waits for another writer
inline constexpr int k_checkpoint_frames = 1000;      // checkpoint_if_due() copies the WAL back from here (4 MB)
inline constexpr int k_wal_limit_frames = 8192;       // a commit past this (32 MB) checkpoints itself
inline constexpr std::size_t k_kept_statements = 64;  // prepare_cached's texts, at most

class Database {
 public:
  // Opens (creating if needed) and configures: WAL, synchronous=NORMAL,
  // foreign keys, secure_delete=FAST (deleted rows do not linger in pages),
  // a 16 MB page cache and up to 2 GB of memory-mapped reads (address space,
  // not memory: searches read pages straight from the OS page cache instead
  // of a read() per page; a 1M-entry history is 600 MB), journal_size_limit
  // 64 MB, busy_timeout 10 s. Does not migrate; see migrations.h.
  static Result<Database> open(const std::filesystem::path& path, OpenMode mode = OpenMode::read_write_create);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&& other) noexcept;
  // Runs checkpoint_if_due(), then closes.
  ~Database();

  Result<void> exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  // The same, from statements kept for this connection's life: the first
  // call for a text prepares it, and when the returned Statement is
  // destroyed it is reset, unbound and kept for the next call with the
  // same text (a caller that runs the same queries many times, such as
  // the picker's searches, parses each once). A text already lent out is
  // prepared again for the second user. At most k_kept_statements texts
  // are kept; a statement may outlive its Database (it is then finalized).
  Result<Statement> prepare_cached(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  const std::filesystem::path& path() const { return m_path; }
  sqlite3* handle() const { return m_db.get(); }

  // Single-value helpers for PRAGMAs and counts.
  Result<std::int64_t> query_int(std::string_view sql);

  // Frames in the WAL after this connection's last commit or checkpoint
  // (every process's frames); 0 before either and for read-only connections.
  int wal_frames() const { return m_wal_frames ? *m_wal_frames : 0; }
  // passive never waits; truncate waits up to `wait` for other connections.
  // Errors: timeout when truncate did not get the WAL to itself in time
  // (nothing is lost; a later checkpoint catches up).
  Result<WalStatus> checkpoint(CheckpointMode mode, std::chrono::milliseconds wait = std::chrono::milliseconds{0});
  // WAL upkeep, cheap when nothing is due; a no-op inside a transaction.
  // From k_checkpoint_frames: a passive checkpoint; the WAL file emptied
  // when that could not catch up and it holds k_wal_limit_frames; then,
  // with every frame copied, one commit of an unchanged page starts the WAL
  // over, so that the sync of its new header happens here and not in the
  // next write. Errors: the database's; waiting for other processes is left
  // to a later call.
  Result<void> checkpoint_if_due();

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  Database(sqlite3* db, std::filesystem::path path) : m_db(db), m_path(std::move(path)) {}
  void defer_checkpoints();
  Result<void> start_wal_over();

  std::unique_ptr<sqlite3, Closer> m_db;
  std::filesystem::path m_path;
  // Written by SQLite's WAL hook; on the heap so that it survives moves.
  std::unique_ptr<int> m_wal_frames;
  // prepare_cached's statements; declared after m_db so that they are
  // finalized before the connection closes.
  std::shared_ptr<StatementShelf> m_shelf;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed.
// IMMEDIATE takes the write lock up front, so a busy database waits in
// busy_timeout instead of failing half-way through.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> commit();

 private:
  explicit Transaction(Database* db) : m_db(db) {}
  Database* m_db;
};

// SQLite result code translated once, with context.
Error sqlite_error(sqlite3* db, int code, std::string_view context);

}  // namespace cmdai::store
