// What leaves the machine: excluded directories, the private tag,
// privacy_mode = skip, and redaction applied again before upload.

#include <gtest/gtest.h>

#include "team/push_policy.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using test::fresh_team;
using test::make_entry;
using test::push_options;
using test::quiet_options;
using test::server_rows;

history::HistoryRecord record_of(CommandHistoryEntry entry) {
  history::HistoryRecord record;
  record.entry = std::move(entry);
  return record;
}

TEST(PushPolicy, DirectoryPrefixesMatchWholeDirectories) {
  EXPECT_TRUE(is_below("/home/me/secret", "/home/me/secret"));
  EXPECT_TRUE(is_below("/home/me/secret/deep", "/home/me/secret/"));
  EXPECT_FALSE(is_below("/home/me/secrets", "/home/me/secret"));
  EXPECT_TRUE(is_below("/anything", "/"));
}

TEST(PushPolicy, KeepsBackExcludedDirectoriesAndPrivateEntries) {
  const PushPolicy policy{history::PrivacyMode::redact, {"/home/me/secret"}};
  EXPECT_EQ(prepare_for_push(record_of(make_entry("ls", "/home/me/secret/x")), policy).verdict,
            PushVerdict::excluded_directory);
  auto tagged = make_entry("ls", "/srv");
  tagged.tags = {"ops", "private"};
  EXPECT_EQ(prepare_for_push(record_of(tagged), policy).verdict, PushVerdict::private_tag);
  EXPECT_EQ(prepare_for_push(record_of(make_entry("ls", "/home/me/secretly")), policy).verdict, PushVerdict::push);
}

TEST(PushPolicy, RedactsAgainAndSkipModeKeepsSecretsHome) {
  const auto entry = make_entry("curl -H 'Authorization: Bearer abcdefghijklmnop1234' https://api.example.com");
  const auto redacted = prepare_for_push(record_of(entry), {history::PrivacyMode::redact, {}});
  ASSERT_EQ(redacted.verdict, PushVerdict::push);
  EXPECT_EQ(redacted.record.entry.command.find("abcdefghijklmnop1234"), std::string::npos);
  EXPECT_NE(redacted.record.entry.command.find("<redacted>"), std::string::npos);
  EXPECT_EQ(prepare_for_push(record_of(entry), {history::PrivacyMode::skip, {}}).verdict, PushVerdict::holds_secret);
}

// privacy_mode = off stores the secret locally; the push still redacts it.
TEST(TeamPushPrivacy, OnlyRedactedTextReachesTheServer) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options(history::PrivacyMode::off));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->insert(make_entry("mysql -u root -pHunter2Secret db")));
  ASSERT_TRUE(store->insert(make_entry("ls", "/home/me/secret/plans")));
  auto tagged = make_entry("cat notes.txt");
  tagged.tags = {"private"};
  ASSERT_TRUE(store->insert(tagged));
  auto team = fresh_team();
  auto options = push_options();
  options.policy = {history::PrivacyMode::off, {"/home/me/secret"}};
  auto report = push(*store, team.connection, team.key, options);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(report->kept_back, 2);
  EXPECT_EQ(server_rows(team.connection), 1);
  EXPECT_EQ(server_rows(team.connection, "command LIKE '%Hunter2Secret%'"), 0);
  EXPECT_EQ(server_rows(team.connection, "command LIKE '%<redacted>%'"), 1);
  // Kept-back entries stay pending: lifting the directory exclusion would
  // send that one; the private one stays home whatever the settings.
  EXPECT_EQ(pending_count(*store, team.key, options.policy).value(), 0);
  EXPECT_EQ(pending_count(*store, team.key, {}).value(), 1);
}

TEST(TeamPushPrivacy, SkipModeEntriesWithSecretsNeverLeave) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options(history::PrivacyMode::off));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->insert(make_entry("export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789")));
  ASSERT_TRUE(store->insert(make_entry("git status")));
  auto team = fresh_team();
  auto options = push_options();
  options.policy = {history::PrivacyMode::skip, {}};
  auto report = push(*store, team.connection, team.key, options);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(server_rows(team.connection), 1);
  EXPECT_EQ(server_rows(team.connection, "command = 'git status'"), 1);
}

}  // namespace
}  // namespace cmdai::team
