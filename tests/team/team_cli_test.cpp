// The cmdai binary's team commands against the test server: push, status,
// search --team (plain and JSON), forget, bad URLs and a server that goes
// down between pushes.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/process.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using testing::run_cmdai;

class TeamCli : public ::testing::Test {
 protected:
  void SetUp() override {
    m_url = testing::pg_server().fresh_database();
    auto store = history::HistoryStore::open(m_home.path() / "history.db", test::quiet_options());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->insert(test::make_entry("journalctl -u billing --since today", "/srv/billing")));
    ASSERT_TRUE(store->insert(test::make_entry("ls -la", "/home/me/secret")));
  }
  testing::ProcessResult cmdai(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    env.emplace("CMDAI_TEAM_URL", m_url);
    env.emplace("CMDAI_TEAM_EXCLUDE_DIRS", "/home/me/secret");
    return run_cmdai(m_home.path().string(), std::move(args), env);
  }
  testing::TempDir m_home;
  std::string m_url;
};

TEST_F(TeamCli, PushStatusSearchAndForget) {
  auto pushed = cmdai({"team", "push"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_NE(pushed.out.find("pushed 1 entries"), std::string::npos) << pushed.out;
  EXPECT_NE(pushed.out.find("1 kept on this machine"), std::string::npos) << pushed.out;

  auto status = cmdai({"team", "status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const auto state = nlohmann::json::parse(status.out);
  EXPECT_EQ(state["pending"], 0);
  EXPECT_EQ(state["server_entries"], 1);
  EXPECT_TRUE(state["last_push"].is_string());

  auto found = cmdai({"search", "--team", "journalctl", "billing", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const auto results = nlohmann::json::parse(found.out);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["entry"]["command"], "journalctl -u billing --since today");
  EXPECT_EQ(results[0]["host"], "laptop");
  EXPECT_FALSE(results[0]["user"].get<std::string>().empty());

  auto plain = cmdai({"search", "--team", "journalctl", "--cwd", "/srv"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("@laptop"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("/srv/billing"), std::string::npos) << plain.out;
  EXPECT_EQ(cmdai({"search", "--team", "journalctl", "--cwd", "/home"}).exit_code, 1);

  const std::string id = results[0]["entry"]["id"];
  // Pushed as laptop (the entry's host); this machine is another host.
  auto refused = cmdai({"team", "forget", id});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("only its owner"), std::string::npos) << refused.err;
}

TEST_F(TeamCli, SearchByMeaningWithTheVectorsThisMachinePushed) {
  const std::map<std::string, std::string> model{{"CMDAI_EMBEDDING_MODEL", "builtin:ngram-test"}};
  auto reindexed = cmdai({"history", "reindex"}, model);
  ASSERT_EQ(reindexed.exit_code, 0) << reindexed.err;
  auto pushed = cmdai({"team", "push", "--json"}, model);
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  const auto report = nlohmann::json::parse(pushed.out);
  EXPECT_EQ(report["sent"], 1);
  EXPECT_EQ(report["vectors_sent"], 1);  // the excluded directory's entry keeps its vector too
  EXPECT_TRUE(nlohmann::json::parse(cmdai({"team", "status", "--json"}).out)["vectors"]);

  auto found = cmdai({"search", "--team", "--mode", "semantic", "journalctl billing", "--json"}, model);
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const auto results = nlohmann::json::parse(found.out);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["entry"]["command"], "journalctl -u billing --since today");
  EXPECT_NE(results[0]["explanation"].get<std::string>().find("meaning (vector"), std::string::npos) << found.out;
  EXPECT_EQ(found.err.find("by words"), std::string::npos) << found.err;

  // With no model on this machine, the search says so and goes by words.
  auto words = cmdai({"search", "--team", "journalctl", "--json"}, {{"CMDAI_EMBEDDING_MODEL", "none"}});
  ASSERT_EQ(words.exit_code, 0) << words.err;
  EXPECT_NE(words.err.find("by words"), std::string::npos) << words.err;
  EXPECT_EQ(nlohmann::json::parse(words.out).size(), 1u);
}

TEST_F(TeamCli, APasswordInTheUrlIsRefusedNamingWhereItBelongs) {
  for (const std::string url : {"postgresql://alice:hunter2@db.example.com/cmdai",
                                "postgresql://db.example.com/cmdai?password=hunter2", "host=db password=hunter2"}) {
    auto refused = cmdai({"team", "push"}, {{"CMDAI_TEAM_URL", url}});
    EXPECT_EQ(refused.exit_code, 2) << url;
    EXPECT_NE(refused.err.find("PGPASSFILE"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.err.find("hunter2"), std::string::npos) << refused.err;
  }
  auto set = run_cmdai(m_home.path().string(), {"config", "set", "team.url", "postgres://a:b@h/d"});
  EXPECT_NE(set.exit_code, 0);
  EXPECT_NE(set.err.find("PGPASSWORD"), std::string::npos) << set.err;
}

TEST_F(TeamCli, NoServerConfiguredOrBadActionSaysWhatToDo) {
  auto none = cmdai({"team", "status"}, {{"CMDAI_TEAM_URL", ""}});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("team.url"), std::string::npos) << none.err;
  auto bad = cmdai({"team", "pusj"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("push|status|forget"), std::string::npos) << bad.err;
  auto forget = cmdai({"team", "forget"});
  EXPECT_EQ(forget.exit_code, 2);
}

// The server stops: push fails with a clear error and a non-zero status,
// local commands go on, and once it is back the queue goes up.
TEST_F(TeamCli, ServerDownKeepsTheQueueAndLocalWorkGoesOn) {
  ASSERT_TRUE(testing::pg_server().stop());
  auto failed = cmdai({"team", "push"});
  auto local = cmdai({"history", "list"});
  auto search = cmdai({"search", "journalctl", "--mode", "lexical"});
  const bool restarted = testing::pg_server().restart();
  ASSERT_TRUE(restarted) << testing::pg_server().error();
  EXPECT_EQ(failed.exit_code, 3) << failed.err;
  EXPECT_NE(failed.err.find("cannot connect to the team server"), std::string::npos) << failed.err;
  EXPECT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(search.exit_code, 0) << search.err;
  auto pushed = cmdai({"team", "push"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_NE(pushed.out.find("pushed 1 entries"), std::string::npos) << pushed.out;
}

// team.auto_push: the shell hook's record returns at once; the entry shows
// up on the server when the background push is done (waited for by
// polling the server, not by a clock).
TEST_F(TeamCli, AutoPushSendsANewEntryInTheBackground) {
  auto recorded = cmdai({"shell-record", "bash", "0", "12", "-", "/srv/app", "make deploy-billing"},
                        {{"CMDAI_CAPTURE_SHELL", "true"}, {"CMDAI_TEAM_AUTO_PUSH", "true"}});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_TRUE(recorded.out.empty());
  auto team = connect_team(m_url);
  ASSERT_TRUE(team) << team.error().describe();
  std::int64_t arrived = 0;
  for (int attempt = 0; attempt < 600 && arrived == 0; ++attempt) {
    arrived = test::server_rows(team->connection, "command = 'make deploy-billing'");
    if (arrived == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(arrived, 1);
}

TEST_F(TeamCli, NoAutoPushUnlessAskedFor) {
  auto recorded =
      cmdai({"shell-record", "bash", "0", "12", "-", "/srv/app", "make quietly"}, {{"CMDAI_CAPTURE_SHELL", "true"}});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  auto status = cmdai({"team", "status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(nlohmann::json::parse(status.out)["server_entries"], 0);
  EXPECT_EQ(nlohmann::json::parse(status.out)["pending"], 2);
}

}  // namespace
}  // namespace cmdai::team
