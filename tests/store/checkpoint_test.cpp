// WAL upkeep: commits only append, checkpoints happen when asked or at close,
// and the WAL starts over there rather than in the next commit.

#include <gtest/gtest.h>

#include <string>

#include "store/database.h"
#include "support/temp_dir.h"

namespace cmdai::store {
namespace {

// Each row is about one page, so frames grow by at least one per commit.
void write_rows(Database& db, int rows) {
  const std::string padding(3000, 'x');
  for (int i = 0; i < rows; ++i) {
    auto insert = db.prepare("INSERT INTO t (v) VALUES (?1)");
    insert->bind(1, padding + std::to_string(i));
    ASSERT_TRUE(insert->run().has_value());
  }
}

Database open_table(const std::filesystem::path& path) {
  auto db = Database::open(path);
  EXPECT_TRUE(db.has_value());
  EXPECT_TRUE(db->exec("CREATE TABLE IF NOT EXISTS t (v TEXT)").has_value());
  return std::move(*db);
}

TEST(Checkpoint, CommitsOnlyAppendUntilUpkeepStartsTheWalOver) {
  testing::TempDir dir;
  auto db = open_table(dir / "c.db");
  write_rows(db, k_checkpoint_frames + 10);
  const int frames = db.wal_frames();
  EXPECT_GT(frames, k_checkpoint_frames);  // no automatic checkpoint restarted it
  EXPECT_LT(frames, k_wal_limit_frames);
  ASSERT_TRUE(db.checkpoint_if_due().has_value());
  // Everything copied back, then one frame that started the WAL over.
  EXPECT_EQ(db.wal_frames(), 1);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM t").value(), k_checkpoint_frames + 10);
  write_rows(db, 1);
  EXPECT_LE(db.wal_frames(), 4);  // appended to the new WAL
}

TEST(Checkpoint, NothingIsDueBelowTheThreshold) {
  testing::TempDir dir;
  auto db = open_table(dir / "c.db");
  write_rows(db, 20);
  const int frames = db.wal_frames();
  ASSERT_TRUE(db.checkpoint_if_due().has_value());
  EXPECT_EQ(db.wal_frames(), frames);
}

TEST(Checkpoint, ClosingKeepsTheWalAndItsRows) {
  testing::TempDir dir;
  const auto path = dir / "c.db";
  {
    auto db = open_table(path);
    write_rows(db, 30);
  }
  EXPECT_TRUE(std::filesystem::exists(path.string() + "-wal"));
  EXPECT_GT(std::filesystem::file_size(path.string() + "-wal"), 30u * 4096);
  auto reader = Database::open(path, OpenMode::read_only);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ(reader->query_int("SELECT count(*) FROM t").value(), 30);
}

TEST(Checkpoint, ACommitPastTheLimitCheckpointsItself) {
  testing::TempDir dir;
  auto db = open_table(dir / "c.db");
  // One transaction bigger than the limit: its commit copies it back.
  ASSERT_TRUE(db.exec("BEGIN").has_value());
  write_rows(db, k_wal_limit_frames + 100);
  ASSERT_TRUE(db.exec("COMMIT").has_value());
  write_rows(db, 1);  // starts the WAL over: everything was copied
  EXPECT_LT(db.wal_frames(), 10);
}

TEST(Checkpoint, TruncateEmptiesTheWal) {
  testing::TempDir dir;
  const auto path = dir / "c.db";
  auto db = open_table(path);
  write_rows(db, 50);
  auto emptied = db.checkpoint(CheckpointMode::truncate, std::chrono::milliseconds{100});
  ASSERT_TRUE(emptied.has_value()) << emptied.error().message;
  EXPECT_EQ(emptied->frames, 0);
  EXPECT_EQ(std::filesystem::file_size(path.string() + "-wal"), 0u);
}

}  // namespace
}  // namespace cmdai::store
