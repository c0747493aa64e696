// Starts the team tests' PostgreSQL server once for the whole binary, and
// checks the server schema's migrations against it.

#include <gtest/gtest.h>

#include <memory>

#include "team/connection.h"
#include "team/pg_server.h"
#include "team/server_schema.h"

namespace cmdai::testing {
namespace {

std::unique_ptr<PgServer> g_server;

class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    g_server = std::make_unique<PgServer>();
    ASSERT_TRUE(g_server->started()) << g_server->error();
  }
  void TearDown() override { g_server.reset(); }
};

[[maybe_unused]] ::testing::Environment* const k_environment = ::testing::AddGlobalTestEnvironment(new PgEnvironment);

}  // namespace

PgServer& pg_server() { return *g_server; }

namespace {

TEST(ServerSchema, MigratesAFreshDatabaseOnceAndAgainIsANoOp) {
  auto connection = team::Connection::open(pg_server().fresh_database());
  ASSERT_TRUE(connection) << connection.error().describe();
  auto first = team::migrate(*connection);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->applied, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(first->typo_tolerance);
  auto again = team::migrate(*connection);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->applied, first->applied);
  auto rows = connection->query("SELECT count(*) FROM cmdai_schema");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->integer(0, 0), 5);
}

std::int64_t count(team::Connection& connection, const std::string& sql) {
  auto rows = connection.query(sql);
  EXPECT_TRUE(rows) << rows.error().describe();
  return rows ? rows->integer(0, 0) : -1;
}

TEST(ServerSchema, TheWordTableTakesTheWordsOfEntriesPushedBeforeItAndReplacesTheTrigramIndex) {
  auto connection = team::Connection::open(pg_server().fresh_database());
  ASSERT_TRUE(connection);
  // A server as migration 2 left it, holding an entry.
  auto old = team::migrate(*connection, 2);
  ASSERT_TRUE(old) << old.error().describe();
  ASSERT_EQ(old->applied, (std::vector<int>{1, 2}));
  ASSERT_TRUE(connection->exec(
      "INSERT INTO command_history (id, user_name, hostname, command, explanation, shell_type, working_directory, "
      "\"timestamp\") VALUES ('5b0e8f3c-0a4e-4a51-9d7e-0c1f6e2b8a11', 'alice', 'laptop', "
      "'journalctl -u billing.service', 'Shows the logs', 'bash', '/srv', now())"));
  auto migrated = team::migrate(*connection);
  ASSERT_TRUE(migrated) << migrated.error().describe();
  EXPECT_EQ(migrated->applied, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(migrated->typo_tolerance);
  EXPECT_EQ(count(*connection, "SELECT count(*) FROM cmdai_words WHERE word IN ('journalctl', 'billing', 'logs')"), 3);
  EXPECT_EQ(count(*connection, "SELECT count(*) FROM pg_indexes WHERE indexname = 'command_history_command_trigrams'"),
            0);
}

TEST(ServerSchema, TheSupersededTrigramMigrationIsNeverAppliedAfterTheWordTable) {
  auto connection = team::Connection::open(pg_server().fresh_database());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(team::migrate(*connection));
  // As on a server that had no pg_trgm when migration 3 ran.
  ASSERT_TRUE(connection->exec("DELETE FROM cmdai_schema WHERE version = 2"));
  auto again = team::migrate(*connection);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->applied, (std::vector<int>{1, 3, 4, 5}));
  EXPECT_EQ(count(*connection, "SELECT count(*) FROM pg_indexes WHERE indexname = 'command_history_command_trigrams'"),
            0);
}

TEST(ServerSchema, PgvectorOnlyASuperuserMayCreateWaitsForOneAndTheWordsWorkMeanwhile) {
  const std::string url = pg_server().fresh_database();
  auto admin = team::Connection::open(url);
  ASSERT_TRUE(admin);
  const std::string scheme = "postgresql:///";
  const std::string database = url.substr(scheme.size(), url.find('?') - scheme.size());
  ASSERT_TRUE(
      admin->exec("DO $$ BEGIN CREATE ROLE cmdai_plain LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                  "ALTER DATABASE " +
                  database + " OWNER TO cmdai_plain"));
  const std::string plain_url = url.substr(0, url.find("&user=")) + "&user=cmdai_plain";
  auto plain = team::Connection::open(plain_url);
  ASSERT_TRUE(plain) << plain.error().describe();
  auto without = team::migrate(*plain);
  ASSERT_TRUE(without) << without.error().describe();
  EXPECT_EQ(without->applied, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_FALSE(without->vectors);
  EXPECT_EQ(count(*plain, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'cmdai_embedding%'"), 0);
  // Once a superuser created the extension, the next connection adds the rest.
  ASSERT_TRUE(admin->exec("CREATE EXTENSION vector"));
  auto with = team::migrate(*plain);
  ASSERT_TRUE(with) << with.error().describe();
  EXPECT_EQ(with->applied, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(with->vectors);
}

TEST(ServerSchema, RefusesASchemaFromANewerCmdai) {
  auto connection = team::Connection::open(pg_server().fresh_database());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(team::migrate(*connection));
  ASSERT_TRUE(connection->exec("INSERT INTO cmdai_schema (version, description) VALUES (99, 'from the future')"));
  auto refused = team::migrate(*connection);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
  EXPECT_NE(refused.error().message.find("newer"), std::string::npos);
}

}  // namespace
}  // namespace cmdai::testing
