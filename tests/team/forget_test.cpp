// cmdai team forget: one's own entries only.

#include <gtest/gtest.h>

#include "team/forget.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using test::make_entry;
using test::push_options;
using test::quiet_options;
using test::server_rows;

TEST(TeamForget, RemovesOnlyTheCallersOwnEntry) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  const auto mine = make_entry("rm -rf build");
  const auto other = make_entry("make clean");
  ASSERT_TRUE(store->insert(mine));
  auto team = test::fresh_team();
  ASSERT_TRUE(push(*store, team.connection, team.key, push_options("alice")));
  auto bobs = history::HistoryStore::open(dir / "bob.db", quiet_options(history::PrivacyMode::redact, "desktop"));
  ASSERT_TRUE(bobs);
  ASSERT_TRUE(bobs->insert(other));
  ASSERT_TRUE(push(*bobs, team.connection, team.key, push_options("bob")));

  auto refused = forget(team.connection, other.id, {"alice", "laptop"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::blocked_by_policy);
  EXPECT_NE(refused.error().message.find("bob@desktop"), std::string::npos);
  auto wrong_host = forget(team.connection, mine.id, {"alice", "desktop"});
  ASSERT_FALSE(wrong_host);
  EXPECT_EQ(server_rows(team.connection), 2);

  auto removed = forget(team.connection, mine.id.substr(0, 8), {"alice", "laptop"});
  ASSERT_TRUE(removed) << removed.error().describe();
  EXPECT_EQ(*removed, mine.id);
  EXPECT_EQ(server_rows(team.connection), 1);
  auto again = forget(team.connection, mine.id, {"alice", "laptop"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_found);
}

TEST(TeamForget, RejectsTextThatIsNoId) {
  auto team = test::fresh_team();
  for (const std::string bad : {"", "%", "abc_", "zzzz", "'; DELETE FROM command_history; --"}) {
    auto refused = forget(team.connection, bad, {"alice", "laptop"});
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace cmdai::team
