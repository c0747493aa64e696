#include "store/lock_wait.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "store/database.h"

namespace cmdai::store {
namespace {

// SQLite's WAL write lock: byte 120 of the -shm file (WALINDEX_LOCK_OFFSET).
constexpr long long k_wal_write_lock_byte = 120;
constexpr int k_poll_ms = 5;

std::mutex& notice_mutex() {
  static std::mutex m;
  return m;
}

std::function<void(const std::string&)>& notice_sink() {
  static std::function<void(const std::string&)> sink;
  return sink;
}

struct Wait {
  sqlite3* db = nullptr;
  std::chrono::steady_clock::time_point start;
  bool noticed = false;
};

void tell(sqlite3* db) {
  std::function<void(const std::string&)> sink;
  {
    std::lock_guard lock(notice_mutex());
    sink = notice_sink();
  }
  if (!sink) return;
  const char* name = sqlite3_db_filename(db, "main");
  const std::filesystem::path path = name != nullptr ? name : "";
  sink("waiting for " + lock_holder(path) + " to finish writing " + path.string() + " (up to " +
       std::to_string(k_busy_timeout_ms / 1000) + " s)");
}

// SQLite calls this with count 0 at the start of each wait; data is the
// connection.
int busy_wait(void* data, int count) {
  thread_local Wait wait;
  auto* db = static_cast<sqlite3*>(data);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0 || wait.db != db) wait = Wait{db, now, false};
  const auto waited = now - wait.start;
  if (waited >= std::chrono::milliseconds(k_busy_timeout_ms)) return 0;
  if (!wait.noticed && waited >= k_lock_notice_after) {
    wait.noticed = true;
    tell(db);
  }
  sqlite3_sleep(k_poll_ms);
  return 1;
}

// The pid of the process holding a POSIX write lock on byte `byte` of the
// file with inode `inode`, from /proc/locks; 0 when none is listed.
long find_lock_pid(ino_t inode, long long byte) {
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    if (line.find("->") != std::string::npos) continue;  // a waiter, not a holder
    std::istringstream fields(line);
    std::string id, kind, mode, access, device, end;
    long pid = 0;
    long long start = 0;
    if (!(fields >> id >> kind >> mode >> access >> pid >> device >> start >> end)) continue;
    if (access != "WRITE" || pid <= 0 || pid == ::getpid()) continue;
    const auto colon = device.rfind(':');
    if (colon == std::string::npos || device.substr(colon + 1) != std::to_string(inode)) continue;
    const long long last = end == "EOF" ? start + (1LL << 62) : std::stoll(end);
    if (start <= byte && byte <= last) return pid;
  }
  return 0;
}

}  // namespace

void set_lock_wait_notice(std::function<void(const std::string&)> notice) {
  std::lock_guard lock(notice_mutex());
  notice_sink() = std::move(notice);
}

void wait_for_locks(sqlite3* db) { sqlite3_busy_handler(db, busy_wait, db); }

std::string lock_holder(const std::filesystem::path& database) {
  struct stat info {};
  if (::stat((database.string() + "-shm").c_str(), &info) != 0) return "another process";
  const long pid = find_lock_pid(info.st_ino, k_wal_write_lock_byte);
  if (pid == 0) return "another process";
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  return (name.empty() ? std::string("process") : name) + " (pid " + std::to_string(pid) + ")";
}

}  // namespace cmdai::store
