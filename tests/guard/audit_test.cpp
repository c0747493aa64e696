// Guard decisions in a real history database: stored as entries (agent as
// the source, session, cwd, level, rules, verdict), secrets redacted, found
// again by guard log, by the --source filter and by search.

#include "guard/audit.h"

#include <gtest/gtest.h>

#include "history/search.h"
#include "support/read_file.h"
#include "support/temp_dir.h"

namespace cmdai::guard {
namespace {

AuditRecord record(const std::string& agent, const std::string& command, Verdict verdict, int second) {
  AuditRecord r;
  r.agent = agent;
  r.session_id = "session-" + agent;
  r.cwd = "/home/u/project";
  r.command = command;
  r.decision.verdict = verdict;
  r.decision.level = verdict == Verdict::deny ? RiskLevel::critical : RiskLevel::safe;
  if (verdict == Verdict::deny) r.decision.rule_ids = {"fs.rm_home"};
  r.decision.reason = "cmdai rated this command " + std::string(to_string(r.decision.level));
  r.validation_time = Micros{250};
  r.at = Timestamp{std::chrono::seconds{1'764'547'200 + second}};
  return r;
}

TEST(Audit, EveryDecisionIsAHistoryEntryFoundAgainNewestFirst) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db");
  ASSERT_TRUE(store);
  ASSERT_TRUE(record_decision(*store, record("claude-code", "rm -rf ~", Verdict::deny, 1)));
  ASSERT_TRUE(record_decision(*store, record("cursor", "ls -la", Verdict::pass, 2)));
  ASSERT_TRUE(record_decision(*store, record("claude-code", "git status", Verdict::pass, 3)));
  auto all = last_decisions(*store, 10, std::nullopt);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].command, "git status");
  auto claude = last_decisions(*store, 10, std::string("claude-code"));
  ASSERT_TRUE(claude);
  ASSERT_EQ(claude->size(), 2u);
  const LoggedDecision& denied = (*claude)[1];
  EXPECT_EQ(denied.command, "rm -rf ~");
  EXPECT_EQ(denied.agent, "claude-code");
  EXPECT_EQ(denied.session_id, "session-claude-code");
  EXPECT_EQ(denied.cwd, "/home/u/project");
  EXPECT_EQ(denied.level, RiskLevel::critical);
  EXPECT_EQ(denied.verdict, Verdict::deny);
  EXPECT_EQ(denied.rule_ids, std::vector<std::string>{"fs.rm_home"});
  auto limited = last_decisions(*store, 1, std::nullopt);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 1u);
}

TEST(Audit, SecretsInTheAgentsCommandNeverReachTheFile) {
  testing::TempDir dir;
  {
    auto store = history::HistoryStore::open(dir / "history.db");
    ASSERT_TRUE(store);
    ASSERT_TRUE(record_decision(*store, record("codex", "mysql -u root -pHunter2Secret99 prod", Verdict::pass, 1)));
    auto logged = last_decisions(*store, 1, std::nullopt);
    ASSERT_TRUE(logged);
    EXPECT_EQ(logged->front().command.find("Hunter2Secret99"), std::string::npos) << logged->front().command;
  }
  for (const char* file : {"history.db", "history.db-wal"}) {
    EXPECT_EQ(testing::read_file(dir / file).find("Hunter2Secret99"), std::string::npos) << file;
  }
}

TEST(Audit, DecisionsAreFoundBySourceAndBySearch) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db");
  ASSERT_TRUE(store);
  ASSERT_TRUE(record_decision(*store, record("gemini-cli", "terraform destroy", Verdict::deny, 1)));
  history::SearchFilters filters;
  filters.backend = "gemini-cli";
  auto listed = store->list_records({0, 10}, filters);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().entry.tags, (std::vector<std::string>{"guard", "guard:deny"}));
  filters.backend = "cursor";
  EXPECT_TRUE(store->list_records({0, 10}, filters)->empty());
  history::SearchQuery query;
  query.text = "terraform";
  auto found = history::search(*store, query);
  ASSERT_TRUE(found) << found.error().describe();
  ASSERT_EQ(found->size(), 1u);
}

}  // namespace
}  // namespace cmdai::guard
