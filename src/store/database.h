#pragma once
// The SQLite database: RAII connection and prepared statements. SQLite's own
// result codes never leave this module; they become Error values here.
//
// A Database is used by one thread at a time. Several processes may open the
// same file: WAL mode and a busy timeout serialise writers without errors.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cmdai::store {

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
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  Statement(sqlite3_stmt* statement, sqlite3* db) : m_statement(statement), m_db(db) {}

  std::unique_ptr<sqlite3_stmt, Finalizer> m_statement;
  sqlite3* m_db = nullptr;
};

enum class OpenMode { read_write_create, read_only };

class Database {
 public:
  // Opens (creating if needed) and configures: WAL, synchronous=NORMAL,
  // foreign keys, secure_delete=FAST (deleted rows do not linger in pages),
  // a 16 MB page cache and 256 MB of memory-mapped reads (searches read the
  // index through the page cache instead of a read() per page),
  // busy_timeout 10 s. Does not migrate; see migrations.h.
  static Result<Database> open(const std::filesystem::path& path, OpenMode mode = OpenMode::read_write_create);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  Result<void> exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  const std::filesystem::path& path() const { return m_path; }
  sqlite3* handle() const { return m_db.get(); }

  // Single-value helpers for PRAGMAs and counts.
  Result<std::int64_t> query_int(std::string_view sql);

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Database(sqlite3* db, std::filesystem::path path) : m_db(db), m_path(std::move(path)) {}

  std::unique_ptr<sqlite3, Closer> m_db;
  std::filesystem::path m_path;
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
