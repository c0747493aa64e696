#include "store/database.h"

#include <sqlite3.h>

#include <unordered_map>

#include "store/lock_wait.h"

namespace cmdai::store {
namespace {

constexpr int k_wal_retry_ms = 5;
constexpr int k_wal_retries = k_busy_timeout_ms / k_wal_retry_ms;

// SQLite's process-wide settings, before its first connection: no memory
// statistics (cmdai reads none), which would otherwise take a process-wide
// mutex on every allocation and free of every connection. false when
// SQLite was already in use (the setting is then as it was).
bool configure_sqlite() { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }

}  // namespace

Error sqlite_error(sqlite3* db, int code, std::string_view context) {
  const int primary = code & 0xff;
  ErrorCode error_code = ErrorCode::io_error;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) error_code = ErrorCode::corruption;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) error_code = ErrorCode::timeout;
  if (primary == SQLITE_CONSTRAINT || primary == SQLITE_MISMATCH || primary == SQLITE_RANGE ||
      primary == SQLITE_TOOBIG) {
    error_code = ErrorCode::invalid_argument;
  }
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return Error{error_code, std::string(context) + ": " + detail, {}};
}

// Prepared statements by their SQL text, each kept reset and unbound
// until prepare_cached lends it out again.
class StatementShelf {
 public:
  StatementShelf() = default;
  StatementShelf(const StatementShelf&) = delete;
  StatementShelf& operator=(const StatementShelf&) = delete;
  ~StatementShelf() {
    for (auto& [sql, statement] : m_kept) sqlite3_finalize(statement);
  }

  // The kept statement for sql (taken off the shelf), or nullptr.
  sqlite3_stmt* take(const std::string& sql) {
    auto kept = m_kept.find(sql);
    if (kept == m_kept.end()) return nullptr;
    sqlite3_stmt* statement = kept->second;
    m_kept.erase(kept);
    return statement;
  }

  // Keeps the statement for the next take(sql); finalizes it when one is
  // kept for sql already or the shelf is full.
  void give_back(const std::string& sql, sqlite3_stmt* statement) {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (m_kept.size() >= k_kept_statements || !m_kept.emplace(sql, statement).second) sqlite3_finalize(statement);
  }

 private:
  std::unordered_map<std::string, sqlite3_stmt*> m_kept;
};

void Statement::Finalizer::operator()(sqlite3_stmt* statement) const {
  if (auto home = shelf.lock()) {
    home->give_back(sql, statement);
    return;
  }
  sqlite3_finalize(statement);
}

void Database::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(m_statement.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_static(int index, std::string_view text) {
  sqlite3_bind_text64(m_statement.get(), index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(m_statement.get(), index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(m_statement.get(), index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(m_statement.get(), index);
  return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
  sqlite3_bind_blob64(m_statement.get(), index, data, size, SQLITE_TRANSIENT);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(m_statement.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return fail(sqlite_error(m_db, rc, "database query failed"));
}

Result<void> Statement::run() {
  while (true) {
    auto row = step();
    if (!row) return fail(row.error());
    if (!*row) return {};
  }
}

Result<void> Statement::reset() {
  sqlite3_reset(m_statement.get());
  sqlite3_clear_bindings(m_statement.get());
  return {};
}

bool Statement::is_null(int column) const { return sqlite3_column_type(m_statement.get(), column) == SQLITE_NULL; }

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(m_statement.get(), column); }

double Statement::column_double(int column) const { return sqlite3_column_double(m_statement.get(), column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(m_statement.get(), column);
  const int size = sqlite3_column_bytes(m_statement.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::vector<std::uint8_t> Statement::column_blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_statement.get(), column));
  const int size = sqlite3_column_bytes(m_statement.get(), column);
  if (data == nullptr) return {};
  return std::vector<std::uint8_t>(data, data + size);
}

Result<Database> Database::open(const std::filesystem::path& path, OpenMode mode) {
  std::error_code ec;
  if (mode == OpenMode::read_write_create && path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  static const bool configured = configure_sqlite();
  (void)configured;
  sqlite3* raw = nullptr;
  const int flags = (mode == OpenMode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw, path);
  if (rc != SQLITE_OK) return fail(sqlite_error(raw, rc, "opening " + path.string()));
  sqlite3_extended_result_codes(raw, 1);
  wait_for_locks(raw);
  if (mode == OpenMode::read_write_create) {
    // Switching a new file to WAL needs an exclusive lock and SQLite does not
    // wait in the busy handler for it: when several processes create the
    // file at once, retry for as long as busy_timeout would have waited.
    Result<void> wal = db.exec("PRAGMA journal_mode=WAL");
    for (int attempt = 0; !wal && wal.error().code == ErrorCode::timeout && attempt < k_wal_retries; ++attempt) {
      sqlite3_sleep(k_wal_retry_ms);
      wal = db.exec("PRAGMA journal_mode=WAL");
    }
    if (!wal) return fail(wal.error());
    if (auto r = db.exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=FAST; "
                         "PRAGMA cache_size=-16384; PRAGMA mmap_size=2147418112; PRAGMA journal_size_limit=67108864;");
        !r) {
      return fail(r.error());
    }
    db.defer_checkpoints();
  }
  return db;
}

Result<void> Database::exec(std::string_view sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(m_db.get(), std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    sqlite3_free(message);
    return fail(sqlite_error(m_db.get(), rc, "database statement failed"));
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  if (rc != SQLITE_OK) return fail(sqlite_error(m_db.get(), rc, "preparing a database query"));
  return Statement(raw, m_db.get());
}

Result<Statement> Database::prepare_cached(std::string_view sql) {
  if (!m_shelf) m_shelf = std::make_shared<StatementShelf>();
  std::string text(sql);
  sqlite3_stmt* raw = m_shelf->take(text);
  if (raw == nullptr) {
    const int rc = sqlite3_prepare_v3(m_db.get(), text.data(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                                      &raw, nullptr);
    if (rc != SQLITE_OK) return fail(sqlite_error(m_db.get(), rc, "preparing a database query"));
  }
  return Statement(raw, m_db.get(), Statement::Finalizer{m_shelf, std::move(text)});
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db.get()); }

int Database::changes() const { return sqlite3_changes(m_db.get()); }

Result<std::int64_t> Database::query_int(std::string_view sql) {
  auto statement = prepare(sql);
  if (!statement) return fail(statement.error());
  auto row = statement->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(ErrorCode::not_found, "query returned no row");
  return statement->column_int(0);
}

Result<Transaction> Transaction::begin(Database& db) {
  CMDAI_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  // Nobody to report to; uncommitted, the work is dropped with or without it.
  if (m_db != nullptr) (void)m_db->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
  Database* db = m_db;
  m_db = nullptr;
  return db->exec("COMMIT");
}

}  // namespace cmdai::store
