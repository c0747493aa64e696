// A team server that an older cmdai filled, upgraded by this one: its
// entries keep their vectors and stay searchable next to newly pushed ones.

#include <gtest/gtest.h>

#include <algorithm>

#include "team/forget.h"
#include "team/server_search.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using test::make_entry;
using test::push_options;
using test::quiet_options;
using test::server_rows;

std::vector<std::string> vectors(Connection& connection) {
  auto rows = connection.query("SELECT id::text || ' ' || search::text FROM command_history ORDER BY id");
  EXPECT_TRUE(rows) << rows.error().describe();
  std::vector<std::string> out;
  for (int row = 0; rows && row < rows->size(); ++row) out.push_back(rows->text(row, 0));
  return out;
}

std::vector<std::string> commands_found(TeamServer& team, const std::string& text) {
  history::SearchQuery query(text, 10, 0.0, {});
  query.now = from_unix_seconds(1'800'000'100);
  auto results = search_team(team.connection, team.schema, query);
  EXPECT_TRUE(results) << results.error().describe();
  std::vector<std::string> out;
  for (const auto& found : results ? *results : std::vector<TeamSearchResult>{})
    out.push_back(found.result.entry.command);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SchemaUpgrade, AVersion3ServerKeepsItsEntriesSearchableAndTakesNewPushes) {
  const std::string url = testing::pg_server().fresh_database();
  {
    // Entries as a version 3 cmdai pushed them: the server generated their
    // vectors, and their words went into cmdai_words.
    auto old = Connection::open(url);
    ASSERT_TRUE(old);
    auto schema = migrate(*old, 3);
    ASSERT_TRUE(schema) << schema.error().describe();
    ASSERT_EQ(schema->applied.back(), 3);
    ASSERT_TRUE(old->exec(
        "INSERT INTO command_history (id, user_name, hostname, command, user_input, explanation, shell_type, "
        "working_directory, \"timestamp\", tags) VALUES "
        "('5b0e8f3c-0a4e-4a51-9d7e-0c1f6e2b8a11', 'alice', 'laptop', 'systemctl restart billing.service', "
        "'restart the billing service', 'Restarts a unit', 'bash', '/srv', to_timestamp(1799999000), '[\"on-call\"]'), "
        "('6c1f9a4d-1b5f-4b62-8e7f-1d2a7f3c9b22', 'bob', 'desktop', 'journalctl -u billing --since today', NULL, "
        "'Shows the logs', 'zsh', '/var/log', to_timestamp(1799999500), '[]');"
        "INSERT INTO cmdai_words (word) SELECT DISTINCT w.lexeme FROM command_history, unnest(search) AS w "
        "ORDER BY 1 ON CONFLICT DO NOTHING"));
  }
  auto before = Connection::open(url);
  ASSERT_TRUE(before);
  const auto old_vectors = vectors(*before);
  ASSERT_EQ(old_vectors.size(), 2u);

  auto team = connect_team(url);
  ASSERT_TRUE(team) << team.error().describe();
  EXPECT_EQ(team->schema.applied, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(vectors(team->connection), old_vectors);
  EXPECT_EQ(server_rows(team->connection), 2);
  auto generated = team->connection.query(
      "SELECT attgenerated::text, attnotnull FROM pg_attribute "
      "WHERE attrelid = 'command_history'::regclass AND attname = 'search'");
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->text(0, 0), "");
  EXPECT_EQ(generated->text(0, 1), "t");
  auto owner_index =
      team->connection.query("SELECT count(*) FROM pg_indexes WHERE indexname = 'command_history_owner'");
  ASSERT_TRUE(owner_index);
  EXPECT_EQ(owner_index->integer(0, 0), 0);

  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  auto entry = make_entry("systemctl restart payments.service", "/srv", 1'800'000'000);
  entry.tags = {"on-call"};
  ASSERT_TRUE(store->insert(entry));
  auto pushed = push(*store, team->connection, team->key, push_options("alice"));
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->new_on_server, 1);

  const std::vector<std::string> restarts{"systemctl restart billing.service", "systemctl restart payments.service"};
  EXPECT_EQ(commands_found(*team, "systemctl restart"), restarts);
  EXPECT_EQ(commands_found(*team, "sytemctl restart"), restarts);
  EXPECT_EQ(commands_found(*team, "on-call"), restarts);
  EXPECT_EQ(commands_found(*team, "billing"),
            (std::vector<std::string>{"journalctl -u billing --since today", "systemctl restart billing.service"}));

  auto forgotten = forget(team->connection, "5b0e8f3c", {"alice", "laptop"});
  ASSERT_TRUE(forgotten) << forgotten.error().describe();
  EXPECT_EQ(*forgotten, "5b0e8f3c-0a4e-4a51-9d7e-0c1f6e2b8a11");
  EXPECT_EQ(server_rows(team->connection), 2);
}

}  // namespace
}  // namespace cmdai::team
