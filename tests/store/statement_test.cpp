// Binding parameters: text bound without a copy is what the row holds, and
// resetting a statement lets go of it.

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

}  // namespace
}  // namespace cmdai::store
