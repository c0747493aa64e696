#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/health.h"
#include "store/migrations.h"
#include "support/temp_dir.h"

namespace cmdai::store {
namespace {

TEST(Migrations, CreateTheSeedSchemaInWalMode) {
  testing::TempDir dir;
  auto db = Database::open(dir / "h.db");
  ASSERT_TRUE(db.has_value());
  ASSERT_TRUE(migrate(*db).has_value());
  EXPECT_EQ(db->query_int("PRAGMA user_version").value(), latest_schema_version());
  for (const char* table :
       {"command_history", "command_history_fts", "backend_metrics", "configuration", "embedding_cache"}) {
    auto st = db->prepare("SELECT count(*) FROM sqlite_master WHERE name = ?1");
    st->bind(1, std::string_view(table));
    ASSERT_TRUE(st->step().value());
    EXPECT_EQ(st->column_int(0), 1) << table;
  }
  auto mode = db->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode->step().value());
  EXPECT_EQ(mode->column_text(0), "wal");
}

TEST(Migrations, AreIdempotentAndRefuseNewerSchemas) {
  testing::TempDir dir;
  auto db = Database::open(dir / "h.db");
  ASSERT_TRUE(migrate(*db).has_value());
  ASSERT_TRUE(migrate(*db).has_value());
  ASSERT_TRUE(db->exec("PRAGMA user_version = 999").has_value());
  auto again = migrate(*db);
  ASSERT_FALSE(again.has_value());
  EXPECT_NE(again.error().message.find("newer cmdai"), std::string::npos);
}

TEST(Database, ReportsCorruptFilesAsCorruption) {
  testing::TempDir dir;
  {
    FILE* f = std::fopen((dir / "bad.db").c_str(), "wb");
    const std::string garbage(8192, 'x');
    std::fwrite(garbage.data(), 1, garbage.size(), f);
    std::fclose(f);
  }
  auto db = Database::open(dir / "bad.db");
  if (db) {
    auto migrated = migrate(*db);
    ASSERT_FALSE(migrated.has_value());
    EXPECT_EQ(migrated.error().code, ErrorCode::corruption);
  } else {
    EXPECT_EQ(db.error().code, ErrorCode::corruption);
  }
}

}  // namespace
}  // namespace cmdai::store

namespace cmdai::store {
namespace {

bool exists(Database& db, const char* type, const char* name) {
  auto st = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = ?1 AND name = ?2");
  st->bind(1, std::string_view(type)).bind(2, std::string_view(name));
  return st->step().value() && st->column_int(0) == 1;
}

TEST(Migrations, FirstIsTheSeedSchemaAndLaterOnesOnlyAdd) {
  const auto all = migrations();
  ASSERT_GE(all.size(), 6u);
  EXPECT_NE(all[0].sql.find("CREATE TABLE command_history (\n    id TEXT PRIMARY KEY,"), std::string_view::npos);
  EXPECT_NE(all[0].sql.find("content='command_history'"), std::string_view::npos);
  for (std::size_t i = 0; i < all.size(); ++i) {
    // Numbers only grow; one may be skipped.
    if (i == 0) {
      EXPECT_EQ(all[i].version, 1);
    }
    if (i > 0) {
      EXPECT_GT(all[i].version, all[i - 1].version) << all[i].description;
      EXPECT_EQ(all[i].sql.find("DROP "), std::string_view::npos) << all[i].description;
    }
  }
}

TEST(Migrations, AddTheIndexesAndColumnsFiltersUse) {
  testing::TempDir dir;
  auto db = Database::open(dir / "h.db");
  ASSERT_TRUE(migrate(*db).has_value());
  for (const char* index :
       {"command_history_timestamp", "command_history_working_directory", "command_history_favorite",
        "command_history_use_count", "command_history_session", "command_history_hostname"}) {
    EXPECT_TRUE(exists(*db, "index", index)) << index;
  }
  EXPECT_TRUE(exists(*db, "table", "command_history_vocab"));
  ASSERT_TRUE(db->exec("INSERT INTO command_history (id, command, explanation, shell_type, working_directory, "
                       "timestamp, execution_metadata, safety_metadata) VALUES ('x', 'ls', '', 'bash', '/', "
                       "'2026-01-01T00:00:00.000000Z', '{\"exit_code\":2,\"backend_used\":\"rules\"}', "
                       "'{\"risk_level\":\"high\"}')")
                  .has_value());
  auto st = db->prepare("SELECT exit_code, backend_used, risk_level, favorite, use_count FROM command_history");
  ASSERT_TRUE(st->step().value());
  EXPECT_EQ(st->column_int(0), 2);
  EXPECT_EQ(st->column_text(1), "rules");
  EXPECT_EQ(st->column_text(2), "high");
  EXPECT_EQ(st->column_int(3), 0);
  EXPECT_EQ(st->column_int(4), 0);
}

TEST(Migrations, UpgradeADatabaseAtTheSeedVersionKeepingItsRows) {
  testing::TempDir dir;
  auto db = Database::open(dir / "h.db");
  {
    auto transaction = Transaction::begin(*db);
    ASSERT_TRUE(db->exec(migrations()[0].sql).has_value());
    ASSERT_TRUE(db->exec("PRAGMA user_version = 1").has_value());
    ASSERT_TRUE(db->exec("INSERT INTO command_history (id, command, explanation, shell_type, working_directory, "
                         "timestamp) VALUES ('old', 'uptime', '', 'bash', '/', '2025-01-01T00:00:00.000000Z')")
                    .has_value());
    ASSERT_TRUE(transaction->commit().has_value());
  }
  ASSERT_TRUE(migrate(*db).has_value());
  EXPECT_EQ(db->query_int("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(db->query_int("SELECT count(*) FROM command_history WHERE id = 'old' AND favorite = 0").value(), 1);
}

TEST(Database, ConfiguresWalNormalSyncAndSecureDelete) {
  testing::TempDir dir;
  auto db = Database::open(dir / "h.db");
  EXPECT_EQ(db->query_int("PRAGMA synchronous").value(), 1) << "NORMAL";
  EXPECT_EQ(db->query_int("PRAGMA secure_delete").value(), 2) << "FAST";
}

// A writer that meets another connection's write lock waits for it (the busy
// handler of lock_wait) instead of failing with SQLITE_BUSY at once.
TEST(Database, AWriterWaitsForAnotherConnectionsLock) {
  testing::TempDir dir;
  auto holder = Database::open(dir / "h.db");
  ASSERT_TRUE(holder.has_value());
  ASSERT_TRUE(holder->exec("CREATE TABLE t(x)").has_value());
  ASSERT_TRUE(holder->exec("BEGIN IMMEDIATE").has_value());
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(holder->exec("COMMIT").has_value());
  });
  auto writer = Database::open(dir / "h.db");
  ASSERT_TRUE(writer.has_value());
  EXPECT_TRUE(writer->exec("INSERT INTO t VALUES (1)").has_value());
  release.join();
  EXPECT_EQ(writer->query_int("SELECT count(*) FROM t").value(), 1);
}

TEST(Health, ProbeFileSpotsGarbageAndAcceptsMissingOrHealthyFiles) {
  testing::TempDir dir;
  EXPECT_TRUE(probe_file(dir / "missing.db").has_value());
  {
    auto db = Database::open(dir / "ok.db");
    ASSERT_TRUE(migrate(*db).has_value());
  }
  EXPECT_TRUE(probe_file(dir / "ok.db").has_value());
  {
    FILE* f = std::fopen((dir / "bad.db").c_str(), "wb");
    std::fputs("this is not a database, just some text that is long enough to fill a header ......................", f);
    std::fclose(f);
  }
  auto bad = probe_file(dir / "bad.db");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::corruption);
}

TEST(Health, MoveAsideRenamesTheFileAndItsWal) {
  testing::TempDir dir;
  for (const char* name : {"h.db", "h.db-wal"}) {
    FILE* f = std::fopen((dir / name).c_str(), "wb");
    std::fputs(name, f);
    std::fclose(f);
  }
  auto moved = move_aside(dir / "h.db", Timestamp{std::chrono::seconds{1'764'547'200}});
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->filename().string(), "h.db.corrupt-20251201T000000Z");
  EXPECT_TRUE(std::filesystem::exists(moved->string() + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(dir / "h.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "h.db-wal"));
}

}  // namespace
}  // namespace cmdai::store
