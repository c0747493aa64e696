// cmdai_words after pushes (typo tolerance): whether this machine sent
// the words of the vectors it built or the server read them from the
// vectors it built itself, the table holds exactly the words the server's
// own expression gives over every entry it has, after batches over two
// connections, a push repeated from another machine, two machines pushing
// at once and a batch the server refused.

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using namespace std::string_literals;
using test::make_entry;
using test::push_options;
using test::quiet_options;
using test::refuse_a_command;
using test::server_rows;

// Migration 1's generated expression (server_schema.cpp), recomputed by the
// server from the stored fields.
constexpr std::string_view k_server_vector =
    "setweight(to_tsvector('simple', regexp_replace(command, '[[:punct:][:space:]]+', ' ', 'g')), 'A') || "
    "setweight(to_tsvector('simple', regexp_replace(coalesce(user_input, ''), '[[:punct:][:space:]]+', ' ', "
    "'g')), 'B') || setweight(to_tsvector('simple', regexp_replace(tags::text, '[[:punct:][:space:]]+', ' ', "
    "'g')), 'C') || setweight(to_tsvector('simple', regexp_replace(explanation, '[[:punct:][:space:]]+', ' ', "
    "'g')), 'D')";

std::vector<std::string> column(Connection& connection, const std::string& sql) {
  auto rows = connection.query(sql);
  EXPECT_TRUE(rows) << rows.error().describe();
  std::vector<std::string> out;
  for (int row = 0; rows && row < rows->size(); ++row) out.push_back(rows->text(row, 0));
  return out;
}

std::vector<std::string> word_table(Connection& connection) {
  return column(connection, "SELECT word FROM cmdai_words ORDER BY word COLLATE \"C\"");
}

std::vector<std::string> words_of_entries(Connection& connection) {
  return column(connection, "SELECT w FROM (SELECT DISTINCT w FROM command_history, unnest(tsvector_to_array(" +
                                std::string(k_server_vector) + ")) AS w) AS words ORDER BY w COLLATE \"C\"");
}

// Entries whose vectors are built here (plain words), by the server (a
// word beyond ASCII, a number the parser splits, punctuation the server
// splits) and words repeated across batches and machines.
void fill(history::HistoryStore& store, int count, const std::string& machine) {
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    std::string command = "deploy " + machine + " step" + n + " shared" + std::to_string(i % 7);
    if (i % 5 == 1) command += " caf\xC3\xA9" + n;
    if (i % 5 == 2) command += " 1e10abc" + n;
    if (i % 5 == 3) command += " a+b|c" + n;
    auto entry = make_entry(command);
    entry.explanation = "Explains " + machine + n;
    entry.user_input = i % 2 ? std::optional<std::string>("input" + std::to_string(i % 11)) : std::nullopt;
    entry.tags = {"tag" + std::to_string(i % 3)};
    ASSERT_TRUE(store.insert(entry));
  }
}

TEST(PushWords, TheWordTableHoldsTheWordsOfEveryEntryPushedOverTwoConnections) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  fill(*store, 95, "alpha");
  const std::string url = testing::pg_server().fresh_database();
  auto team = connect_team(url);
  auto second = Connection::open(url);
  ASSERT_TRUE(team && second);
  const std::vector<Connection*> both{&team->connection, &*second};
  auto pushed = push(*store, both, team->key, push_options("alice", 10));
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->new_on_server, 95);
  const auto words = word_table(team->connection);
  EXPECT_EQ(words, words_of_entries(team->connection));
  for (const char* word : {"deploy", "step94", "shared6",
                           "caf\xC3\xA9"
                           "1",
                           "abc2", "1e10", "a", "c3", "input10", "tag2", "explains", "alpha94"}) {
    EXPECT_NE(std::find(words.begin(), words.end(), word), words.end()) << word;
  }
}

// Another machine pushes the same entries and more: the entries the server
// has are ignored, the new ones' words are added, none is missing or extra.
TEST(PushWords, APushRepeatedFromAnotherMachineAddsOnlyTheNewEntriesWords) {
  testing::TempDir dir;
  auto first = history::HistoryStore::open(dir / "a.db", quiet_options());
  ASSERT_TRUE(first);
  fill(*first, 30, "alpha");
  auto team = test::fresh_team();
  ASSERT_TRUE(push(*first, team.connection, team.key, push_options("alice", 10)));
  const auto before = word_table(team.connection);
  auto again = push(*first, team.connection, "elsewhere", push_options("alice", 10));
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->sent, 30);
  EXPECT_EQ(again->new_on_server, 0);
  EXPECT_EQ(word_table(team.connection), before);
  fill(*first, 40, "beta");
  auto more = push(*first, team.connection, "elsewhere again", push_options("alice", 10));
  ASSERT_TRUE(more) << more.error().describe();
  EXPECT_EQ(more->new_on_server, 40);
  EXPECT_EQ(server_rows(team.connection), 70);
  EXPECT_EQ(word_table(team.connection), words_of_entries(team.connection));
  EXPECT_GT(word_table(team.connection).size(), before.size());
}

TEST(PushWords, TwoMachinesPushingAtOnceLeaveTheWordsOfBoth) {
  testing::TempDir dir;
  const auto url = testing::pg_server().fresh_database();
  std::vector<std::filesystem::path> files{dir / "alice.db", dir / "bob.db"};
  for (std::size_t m = 0; m < files.size(); ++m) {
    auto store =
        history::HistoryStore::open(files[m], quiet_options(history::PrivacyMode::redact, "host" + std::to_string(m)));
    ASSERT_TRUE(store);
    fill(*store, 300, m == 0 ? "alpha" : "beta");
    fill(*store, 50, "shared");  // the same words, in other entries
  }
  std::vector<Result<PushReport>> reports(2, fail(ErrorCode::internal, "not run"));
  {
    std::vector<std::jthread> machines;
    for (std::size_t m = 0; m < files.size(); ++m) {
      machines.emplace_back([&, m] {
        auto store = history::HistoryStore::open(files[m], quiet_options());
        auto team = connect_team(url);
        auto second = Connection::open(url);
        if (!store || !team || !second) return;
        const std::vector<Connection*> both{&team->connection, &*second};
        reports[m] = push(*store, both, team->key, push_options("user" + std::to_string(m), 20));
      });
    }
  }
  for (const auto& report : reports) ASSERT_TRUE(report) << report.error().describe();
  auto team = connect_team(url);
  ASSERT_TRUE(team);
  EXPECT_EQ(server_rows(team->connection), 700);
  EXPECT_EQ(word_table(team->connection), words_of_entries(team->connection));
}

// Batches over two connections, the third refused by the server: the
// fourth, read while the third was under way, still sends the words it
// shares with the third, so every entry on the server has its words.
TEST(PushWords, AWordFirstSentInARefusedBatchStillArrivesWithALaterOne) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  fill(*store, 20, "alpha");
  ASSERT_TRUE(store->insert(make_entry("refused by the server")));
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(store->insert(make_entry("zebra crossing " + std::to_string(i))));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(store->insert(make_entry("zebra crossing again " + std::to_string(i))));
  const std::string url = testing::pg_server().fresh_database();
  auto team = connect_team(url);
  auto second = Connection::open(url);
  ASSERT_TRUE(team && second);
  refuse_a_command(team->connection);
  const std::vector<Connection*> both{&team->connection, &*second};
  auto failed = push(*store, both, team->key, push_options("alice", 10));
  ASSERT_FALSE(failed);
  EXPECT_EQ(server_rows(team->connection), 30);
  EXPECT_EQ(server_rows(team->connection, "command LIKE 'zebra crossing again %'"), 10);
  const auto words = word_table(team->connection);
  EXPECT_EQ(words, words_of_entries(team->connection));
  EXPECT_NE(std::find(words.begin(), words.end(), "zebra"), words.end());
  ASSERT_TRUE(team->connection.exec("DROP TRIGGER refuse ON command_history"));
  auto resumed = push(*store, both, team->key, push_options("alice", 10));
  ASSERT_TRUE(resumed) << resumed.error().describe();
  EXPECT_EQ(server_rows(team->connection), 40);
  EXPECT_EQ(word_table(team->connection), words_of_entries(team->connection));
}

}  // namespace
}  // namespace cmdai::team
