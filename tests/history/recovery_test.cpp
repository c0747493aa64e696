// A damaged history.db is detected at open, moved aside, salvaged, and
// cmdai keeps working.

#include <gtest/gtest.h>

#include <cstdio>

#include "history/search.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

constexpr int k_rows = 3000;

void fill(const std::filesystem::path& path) {
  auto store = HistoryStore::open(path, quiet_options());
  ASSERT_TRUE(store.has_value());
  std::vector<HistoryRecord> batch;
  for (int i = 0; i < k_rows; ++i) {
    batch.push_back(
        {make_entry("echo entry number " + std::to_string(i) + " with some padding text", 1'700'000'000 + i),
         false,
         0,
         {},
         {}});
  }
  ASSERT_TRUE(store->store_batch(batch).has_value());
  // Everything into the main file, which is what the tests damage (closing
  // keeps the WAL).
  auto emptied = store->database().checkpoint(store::CheckpointMode::truncate, std::chrono::seconds{10});
  ASSERT_TRUE(emptied.has_value()) << emptied.error().message;
  ASSERT_EQ(emptied->frames, 0);
}

std::vector<std::filesystem::path> moved_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().filename().string().find("h.db.corrupt-") == 0 &&
        f.path().filename().string().find("-wal") == std::string::npos &&
        f.path().filename().string().find("-shm") == std::string::npos) {
      out.push_back(f.path());
    }
  }
  return out;
}

TEST(HistoryRecovery, TruncatedFileIsMovedAsideAndSalvaged) {
  testing::TempDir dir;
  const auto path = dir / "h.db";
  fill(path);
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size * 6 / 10 / 4096 * 4096);

  auto store = HistoryStore::open(path, quiet_options());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  ASSERT_TRUE(store->recovery().has_value());
  const auto& report = *store->recovery();
  EXPECT_FALSE(report.problem.empty());
  EXPECT_GT(report.salvaged, 0);
  EXPECT_LT(report.salvaged, k_rows);
  EXPECT_EQ(store->count().value(), report.salvaged);
  EXPECT_EQ(moved_files(dir.path()).size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(report.moved_to));
  // Still fully working: insert, find, and the salvaged rows are searchable.
  ASSERT_TRUE(store->insert(make_entry("systemctl reload nginx")).has_value());
  EXPECT_EQ(search(*store, {"nginx", 10, 0}).value().size(), 1u);
  EXPECT_FALSE(search(*store, {"entry number", 10, 0}).value().empty());
  auto reopened = HistoryStore::open(path, quiet_options());
  EXPECT_FALSE(reopened->recovery().has_value()) << "the new file is healthy";
}

TEST(HistoryRecovery, GarbageFileIsMovedAsideAndAFreshOneStarted) {
  testing::TempDir dir;
  const auto path = dir / "h.db";
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    const std::string garbage(20000, 'x');
    std::fwrite(garbage.data(), 1, garbage.size(), f);
    std::fclose(f);
  }
  auto store = HistoryStore::open(path, quiet_options());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  ASSERT_TRUE(store->recovery().has_value());
  EXPECT_EQ(store->recovery()->salvaged, 0);
  EXPECT_EQ(store->count().value(), 0);
  EXPECT_EQ(test::file_bytes(store->recovery()->moved_to), std::string(20000, 'x')) << "the damaged file is kept";
  ASSERT_TRUE(store->insert(make_entry("ls")).has_value());
}

TEST(HistoryRecovery, DamagedPagesInTheMiddleAreFoundByCleanup) {
  testing::TempDir dir;
  const auto path = dir / "h.db";
  fill(path);
  {
    // Overwrite a run of pages in the middle of the file with garbage.
    FILE* f = std::fopen(path.c_str(), "r+b");
    const auto size = std::filesystem::file_size(path);
    std::fseek(f, static_cast<long>(size / 2 / 4096 * 4096), SEEK_SET);
    const std::string garbage(4096 * 3, '\x5a');
    std::fwrite(garbage.data(), 1, garbage.size(), f);
    std::fclose(f);
  }
  auto store = HistoryStore::open(path, quiet_options());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  auto cleaned = store->cleanup();
  ASSERT_TRUE(cleaned.has_value()) << cleaned.error().message;
  ASSERT_TRUE(store->recovery().has_value());
  EXPECT_GT(store->recovery()->salvaged, k_rows / 3);
  EXPECT_LE(store->recovery()->salvaged, k_rows);
  EXPECT_EQ(store->count().value(), store->recovery()->salvaged);
  ASSERT_TRUE(store->insert(make_entry("still works")).has_value());
}

}  // namespace
}  // namespace cmdai::history
