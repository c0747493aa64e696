// Several processes or threads writing at once, and a writer killed
// mid-write.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

constexpr int k_processes = 8;
constexpr int k_entries_each = 1000;

// In a child: exit status 0 only when every insert succeeded.
[[noreturn]] void write_entries(const std::filesystem::path& path, int writer) {
  auto store = HistoryStore::open(path, quiet_options());
  if (!store) ::_exit(2);
  for (int i = 0; i < k_entries_each; ++i) {
    auto e = make_entry("echo writer " + std::to_string(writer) + " entry " + std::to_string(i));
    if (!store->insert(e)) ::_exit(3);
  }
  ::_exit(0);
}

TEST(HistoryConcurrency, EightProcessesWritingAThousandEachEndWithEightThousandRows) {
  testing::TempDir dir;
  const auto path = dir / "h.db";
  ASSERT_TRUE(HistoryStore::open(path, quiet_options()).has_value());  // created and migrated once
  std::vector<pid_t> children;
  for (int writer = 0; writer < k_processes; ++writer) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) write_entries(path, writer);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed: status " << status;
  }
  // The writers exited without closing (no upkeep at close): their commits
  // kept the WAL bounded themselves.
  const auto wal_bytes = std::filesystem::file_size(path.string() + "-wal");
  EXPECT_LE(wal_bytes, std::uintmax_t{3} * store::k_wal_limit_frames * (4096 + 24));
  auto store = HistoryStore::open(path, quiet_options());
  EXPECT_EQ(store->count().value(), k_processes * k_entries_each);
  EXPECT_EQ(store->database().query_int("SELECT count(DISTINCT command) FROM command_history").value(),
            k_processes * k_entries_each);
}

// Threads of one process, each with its own store (a connection is used by
// one thread at a time), writing while another thread reads: the busy
// handler, the checkpoint upkeep and the stores' own state are per
// connection, so nothing is lost and no write fails.
TEST(HistoryConcurrency, ThreadsWithTheirOwnStoresWriteWhileAnotherReads) {
  constexpr int k_threads = 4;
  constexpr int k_each = 200;
  testing::TempDir dir;
  const auto path = dir / "h.db";
  ASSERT_TRUE(HistoryStore::open(path, quiet_options()).has_value());
  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> writers;
  for (int writer = 0; writer < k_threads; ++writer) {
    writers.emplace_back([&, writer] {
      auto store = HistoryStore::open(path, quiet_options());
      if (!store) {
        ++failures;
        return;
      }
      for (int i = 0; i < k_each; ++i) {
        auto e = make_entry("echo thread " + std::to_string(writer) + " entry " + std::to_string(i));
        if (!store->insert(e)) ++failures;
      }
    });
  }
  std::int64_t last_seen = 0;
  std::thread reader([&] {
    auto store = HistoryStore::open(path, quiet_options());
    if (!store) {
      ++failures;
      return;
    }
    while (writing.load()) {
      auto count = store->count();
      auto newest = store->list(Page{0, 5});
      if (!count || !newest) {
        ++failures;
        continue;
      }
      if (*count < last_seen) ++failures;  // rows are only ever added
      last_seen = *count;
    }
  });
  for (auto& writer : writers) writer.join();
  writing = false;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  auto store = HistoryStore::open(path, quiet_options());
  ASSERT_TRUE(store.has_value());
  EXPECT_EQ(store->count().value(), k_threads * k_each);
  EXPECT_EQ(store->database().query_int("SELECT count(DISTINCT command) FROM command_history").value(),
            k_threads * k_each);
}

TEST(HistoryConcurrency, MigratingFromManyProcessesAtOnceIsSafe) {
  testing::TempDir dir;
  const auto path = dir / "fresh.db";
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto store = HistoryStore::open(path, quiet_options());
      if (!store) {
        std::fprintf(stderr, "open: %s\n", store.error().describe().c_str());
        ::_exit(1);
      }
      if (store->recovery()) {
        std::fprintf(stderr, "recovered: %s\n", store->recovery()->problem.c_str());
        ::_exit(1);
      }
      auto inserted = store->insert(make_entry("echo " + std::to_string(i)));
      if (!inserted) std::fprintf(stderr, "insert: %s\n", inserted.error().describe().c_str());
      ::_exit(inserted ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(HistoryStore::open(path, quiet_options())->count().value(), 4);
}

// The child reports each id on a pipe only after insert() returned; the
// parent kills it with SIGKILL mid-stream. Every reported id must be there.
TEST(HistoryConcurrency, SigkillMidWriteLosesNothingReportedStored) {
  testing::TempDir dir;
  const auto path = dir / "h.db";
  ASSERT_TRUE(HistoryStore::open(path, quiet_options()).has_value());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto store = HistoryStore::open(path, quiet_options());
    if (!store) ::_exit(2);
    for (int i = 0;; ++i) {
      // Big rows, so that a kill often lands inside a write.
      auto e = make_entry("echo " + std::string(3000, 'a' + static_cast<char>(i % 26)) + std::to_string(i));
      if (!store->insert(e)) ::_exit(3);
      const std::string line = e.id + "\n";
      if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(4);
    }
  }
  ::close(fds[1]);
  std::string received;
  char buffer[4096];
  std::size_t lines = 0;
  while (lines < 400) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    ASSERT_GT(n, 0) << "the writer stopped early";
    received.append(buffer, static_cast<std::size_t>(n));
    lines = static_cast<std::size_t>(std::count(received.begin(), received.end(), '\n'));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  while (true) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  std::set<std::string> reported;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = received.find('\n', start);
    if (end == std::string::npos) break;
    reported.insert(received.substr(start, end - start));
    start = end + 1;
  }
  auto store = HistoryStore::open(path, quiet_options());
  ASSERT_TRUE(store.has_value());
  EXPECT_FALSE(store->recovery().has_value());
  for (const auto& id : reported) EXPECT_TRUE(store->get(id).value().has_value()) << id;
  EXPECT_GE(store->count().value(), static_cast<std::int64_t>(reported.size()));
}

}  // namespace
}  // namespace cmdai::history
