// WAL upkeep for read-write connections: see "Checkpoints" in database.h.

#include <sqlite3.h>

#include <string>

#include "store/database.h"
#include "store/lock_wait.h"

namespace cmdai::store {
namespace {

// How long emptying the WAL may wait for other processes' reads and writes.
constexpr std::chrono::milliseconds k_truncate_wait{100};

// SQLite calls this after each commit, with the write lock released. Past
// the limit a passive checkpoint; past twice the limit (other writers kept
// appending while passive ones ran, so the WAL never started over) a restart,
// which holds new writers back for a moment so that the WAL does start over.
int after_commit(void* frames, sqlite3* db, const char* schema, int count) {
  *static_cast<int*>(frames) = count;
  if (count < k_wal_limit_frames) return SQLITE_OK;
  int log = 0, copied = 0;
  if (count < 2 * k_wal_limit_frames) {
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    return SQLITE_OK;
  }
  sqlite3_busy_timeout(db, static_cast<int>(k_truncate_wait.count()));
  (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, &log, &copied);
  wait_for_locks(db);
  return SQLITE_OK;
}

}  // namespace

void Database::defer_checkpoints() {
  m_wal_frames = std::make_unique<int>(0);
  // Replaces the hook sqlite3_wal_autocheckpoint() installed, which is what
  // runs the automatic checkpoint.
  sqlite3_wal_hook(m_db.get(), after_commit, m_wal_frames.get());
  sqlite3_db_config(m_db.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    // Upkeep only: a later checkpoint catches up.
    if (m_db) (void)checkpoint_if_due();
    m_shelf.reset();  // its statements belong to the connection closed next
    m_db = std::move(other.m_db);
    m_path = std::move(other.m_path);
    m_wal_frames = std::move(other.m_wal_frames);
    m_shelf = std::move(other.m_shelf);
  }
  return *this;
}

Database::~Database() {
  // Upkeep only: a later checkpoint catches up.
  if (m_db) (void)checkpoint_if_due();
}

Result<WalStatus> Database::checkpoint(CheckpointMode mode, std::chrono::milliseconds wait) {
  WalStatus status;
  const bool truncate = mode == CheckpointMode::truncate;
  if (truncate) sqlite3_busy_timeout(m_db.get(), static_cast<int>(wait.count()));
  const int rc =
      sqlite3_wal_checkpoint_v2(m_db.get(), nullptr, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE,
                                &status.frames, &status.backfilled);
  if (truncate) wait_for_locks(m_db.get());
  if (rc != SQLITE_OK) return fail(sqlite_error(m_db.get(), rc, "checkpointing the database"));
  if (m_wal_frames) *m_wal_frames = status.frames;
  return status;
}

Result<void> Database::checkpoint_if_due() {
  if (!m_wal_frames || *m_wal_frames < k_checkpoint_frames || sqlite3_get_autocommit(m_db.get()) == 0) return {};
  auto copied = checkpoint(CheckpointMode::passive);
  if (!copied) return fail(copied.error());
  if (copied->backfilled < copied->frames) {
    // Readers or writers elsewhere hold frames back. Only a big WAL is worth
    // waiting for; otherwise a later call catches up.
    if (copied->frames < k_wal_limit_frames) return {};
    auto emptied = checkpoint(CheckpointMode::truncate, k_truncate_wait);
    if (!emptied) return emptied.error().code == ErrorCode::timeout ? Result<void>{} : fail(emptied.error());
  }
  return start_wal_over();
}

// The first commit after a complete checkpoint writes the WAL from its start
// and syncs its new header. One frame (the database header page, rewritten
// unchanged) makes that happen now. Skipped while another process writes:
// its commit starts the WAL over instead.
Result<void> Database::start_wal_over() {
  sqlite3_busy_timeout(m_db.get(), 0);
  Result<void> begun = exec("BEGIN IMMEDIATE");
  wait_for_locks(m_db.get());
  if (!begun) return begun.error().code == ErrorCode::timeout ? Result<void>{} : begun;
  auto version = query_int("PRAGMA user_version");
  Result<void> written = version ? exec("PRAGMA user_version = " + std::to_string(*version)) : fail(version.error());
  if (!written) {
    // The write's error is the one returned; the rollback only tidies up.
    (void)exec("ROLLBACK");
    return written;
  }
  return exec("COMMIT");
}

}  // namespace cmdai::store
