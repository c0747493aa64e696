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
  EXPECT_EQ(first->applied, (std::vector<int>{1, 2}));
  EXPECT_TRUE(first->typo_tolerance);
  auto again = team::migrate(*connection);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->applied, first->applied);
  auto rows = connection->query("SELECT count(*) FROM cmdai_schema");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->integer(0, 0), 2);
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
