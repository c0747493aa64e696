// Bad input is stored, found and printed, never an error dump.

#include <gtest/gtest.h>

#include "history/record_json.h"
#include "history/search.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

TEST(HistoryBadInput, InvalidUtf8IsStoredFoundAndPrintable) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto e = make_entry("grep caf\xe9 menu.txt \xff\xfe");
  ASSERT_TRUE(store->insert(e).has_value());
  auto back = store->get(e.id).value().value();
  EXPECT_EQ(back.command, e.command) << "the bytes are kept";
  auto found = search(*store, {"menu", 10, 0});
  ASSERT_EQ(found.value().size(), 1u);
  const std::string printed = result_to_json(found->front()).dump();
  EXPECT_NE(printed.find("\xef\xbf\xbd"), std::string::npos) << printed;
}

TEST(HistoryBadInput, MegabyteCommandsAreStoredAndFound) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  std::string big = "echo ";
  while (big.size() < 1'000'000) big += "lorem ipsum dolor ";
  big += "needleword";
  auto e = make_entry(big);
  ASSERT_TRUE(store->insert(e).has_value());
  EXPECT_EQ(store->get(e.id).value()->command.size(), big.size());
  auto found = search(*store, {"needleword", 10, 0});
  ASSERT_EQ(found.value().size(), 1u);
  EXPECT_NE(found->front().matching_context.find("[needleword]"), std::string::npos);
}

TEST(HistoryBadInput, NulBytesSurviveTheRoundTrip) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  const std::string command("printf 'a\0b' | xargs -0 echo", 28);
  auto e = make_entry(command);
  ASSERT_TRUE(store->insert(e).has_value());
  EXPECT_EQ(store->get(e.id).value()->command, command);
  EXPECT_EQ(search(*store, {"xargs", 10, 0}).value().size(), 1u);
  EXPECT_TRUE(search(*store, {std::string("a\0b", 3), 10, 0}).has_value());
}

TEST(HistoryBadInput, SqlAndFtsSyntaxAreJustText) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto e = make_entry("psql -c \"DROP TABLE users; --\" ' OR '1'='1");
  ASSERT_TRUE(store->insert(e).has_value());
  EXPECT_EQ(store->get(e.id).value()->command, e.command);
  for (const char* query : {"\" OR 1=1; DROP TABLE command_history; --", "NEAR(", "users*", "AND OR NOT", "(", "*",
                            "col:value", "^start", "'1'='1", "---", "\"\"\""}) {
    auto found = search(*store, {query, 10, 0});
    ASSERT_TRUE(found.has_value()) << query << ": " << found.error().message;
  }
  EXPECT_EQ(search(*store, {"DROP TABLE", 10, 0}).value().size(), 1u);
  EXPECT_EQ(store->count().value(), 1);
}

}  // namespace
}  // namespace cmdai::history
