#include <gtest/gtest.h>

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
