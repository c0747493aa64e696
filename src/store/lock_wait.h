#pragma once
// Waiting for another process's lock on a database. Every connection waits
// up to k_busy_timeout_ms for a lock (a writer in another cmdai process, a
// checkpoint); instead of SQLite's silent busy_timeout, a connection that
// has waited k_lock_notice_after says so once, through the notice the
// process set (cli writes it on stderr), naming the process that holds the
// lock when the system tells (Linux: /proc/locks): "waiting for cmdai
// (pid 4242) to finish writing history.db".
//
// Thread safety: set_lock_wait_notice() is meant for start-up; the wait
// itself keeps its state per thread (one connection per thread).

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

struct sqlite3;

namespace cmdai::store {

inline constexpr std::chrono::milliseconds k_lock_notice_after{1000};

// Where the one line goes; empty (the default): nowhere.
void set_lock_wait_notice(std::function<void(const std::string&)> notice);

// Installs the waiting busy handler on db (this replaces busy_timeout).
void wait_for_locks(sqlite3* db);

// "cmdai (pid 4242)" for the process holding the write lock of the WAL
// database at path, or "another process" when it cannot be told.
std::string lock_holder(const std::filesystem::path& database);

}  // namespace cmdai::store
