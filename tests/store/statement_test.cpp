// Binding parameters: text bound without a copy is what the row holds, and
// resetting a statement lets go of it. Statements kept by their connection
// (prepare_cached) come back reset and unbound.

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "store/database.h"
#include "support/temp_dir.h"

namespace cmdai::store {
namespace {

TEST(Statement, StaticTextIsStoredAsBoundAndResetLetsGoOfIt) {
  testing::TempDir dir;
  auto db = Database::open(dir / "s.db").value();
  ASSERT_TRUE(db.exec("CREATE TABLE t (v TEXT, w TEXT)").has_value());
  auto insert = db.prepare("INSERT INTO t (v, w) VALUES (?1, ?2)").value();
  {
    std::string text = "first value, long enough to be more than a small string";
    const std::optional<std::string> none;
    insert.bind_static(1, text).bind_static(2, none);
    ASSERT_TRUE(insert.run().has_value());
    ASSERT_TRUE(insert.reset().has_value());
    text.assign(text.size(), '#');  // what the statement pointed at changes after the reset
  }
  // Nothing bound since the reset: NULLs, never the text bound before.
  ASSERT_TRUE(insert.run().has_value());

  auto rows = db.prepare("SELECT v, w FROM t ORDER BY rowid").value();
  ASSERT_TRUE(rows.step().value());
  EXPECT_EQ(rows.column_text(0), "first value, long enough to be more than a small string");
  EXPECT_TRUE(rows.is_null(1));
  ASSERT_TRUE(rows.step().value());
  EXPECT_TRUE(rows.is_null(0));
  EXPECT_TRUE(rows.is_null(1));
  EXPECT_FALSE(rows.step().value());
}

Database numbers_database(const testing::TempDir& dir) {
  auto db = Database::open(dir / "n.db").value();
  EXPECT_TRUE(db.exec("CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3)").has_value());
  return db;
}

constexpr const char* k_numbers = "SELECT v, ?1 FROM n ORDER BY v";

TEST(CachedStatement, ComesBackRewoundAndUnbound) {
  testing::TempDir dir;
  auto db = numbers_database(dir);
  {
    auto first = db.prepare_cached(k_numbers).value();
    first.bind(1, std::int64_t{7});
    ASSERT_TRUE(first.step().value());
    EXPECT_EQ(first.column_int(1), 7);
  }  // given back after one row of three
  auto again = db.prepare_cached(k_numbers).value();
  ASSERT_TRUE(again.step().value());
  EXPECT_EQ(again.column_int(0), 1);  // from the first row, not the second
  EXPECT_TRUE(again.is_null(1));      // nothing bound since it was given back
}

TEST(CachedStatement, TwoUsersOfOneTextEachGetTheirOwn) {
  testing::TempDir dir;
  auto db = numbers_database(dir);
  auto outer = db.prepare_cached(k_numbers).value();
  ASSERT_TRUE(outer.step().value());
  {
    auto inner = db.prepare_cached(k_numbers).value();
    std::int64_t sum = 0;
    while (inner.step().value()) sum += inner.column_int(0);
    EXPECT_EQ(sum, 6);
  }
  ASSERT_TRUE(outer.step().value());
  EXPECT_EQ(outer.column_int(0), 2);  // the inner walk did not move it
}

TEST(CachedStatement, SeesRowsWrittenSinceAndMayOutliveItsDatabase) {
  testing::TempDir dir;
  std::optional<Statement> kept;
  {
    auto db = numbers_database(dir);
    auto count = [&db] {
      auto statement = db.prepare_cached("SELECT count(*) FROM n").value();
      EXPECT_TRUE(statement.step().value());
      return statement.column_int(0);
    };
    EXPECT_EQ(count(), 3);
    ASSERT_TRUE(db.exec("INSERT INTO n VALUES (4)").has_value());
    EXPECT_EQ(count(), 4);
    kept = db.prepare_cached(k_numbers).value();
  }
  kept.reset();  // finalized, with nowhere to go back to
}

}  // namespace
}  // namespace cmdai::store
