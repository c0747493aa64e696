// cmdai search and cmdai history reindex, run as the built binary against a
// history written in a temporary CMDAI_HOME.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "core/uuid.h"
#include "history/history_store.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class SearchE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = history::HistoryStore::open(m_home / "history.db");
    ASSERT_TRUE(store.has_value());
    const auto now = std::chrono::system_clock::now();
    add(*store, "df -h", "/home/u", now - std::chrono::hours(1), RiskLevel::safe);
    add(*store, "git log --oneline", "/home/u/repo", now - std::chrono::hours(2), RiskLevel::safe);
    add(*store, "rm -rf build", "/home/u/repo", now - std::chrono::hours(24 * 40), RiskLevel::high);
    add(*store, "journalctl -u nginx", "/var/log", now - std::chrono::hours(3), RiskLevel::safe);
  }
  static void add(history::HistoryStore& store, const std::string& command, const std::string& cwd, Timestamp when,
                  RiskLevel risk) {
    CommandHistoryEntry e;
    e.id = make_uuid_v4();
    e.timestamp = when;
    e.command = command;
    e.working_directory = cwd;
    e.safety_metadata = SafetyMetadata{risk, {}, false, risk == RiskLevel::safe ? 1.0 : 0.2};
    ASSERT_TRUE(store.insert(e).has_value());
  }
  testing::ProcessResult cmdai(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), CMDAI_BINARY);
    env["CMDAI_HOME"] = m_home.path().string();
    env["NO_COLOR"] = "1";
    if (!env.contains("CMDAI_EMBEDDING_MODEL")) env["CMDAI_EMBEDDING_MODEL"] = "none";
    return testing::run_process(args, env);
  }
  testing::TempDir m_home;
};

TEST_F(SearchE2E, HybridIsTheDefaultAndFindsByMeaning) {
  auto r = cmdai({"search", "free", "space", "left"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("df -h"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("concept disk_free"), std::string::npos) << r.out;
}

TEST_F(SearchE2E, SemanticWithoutAModelSaysItUsesTheLexiconOnly) {
  auto r = cmdai({"search", "--mode", "semantic", "source control"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("concept lexicon only"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("git log --oneline"), std::string::npos) << r.out;
}

TEST_F(SearchE2E, JsonCarriesScoreContextAndExplanation) {
  auto r = cmdai({"search", "--json", "--limit", "2", "nginx logs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto results = nlohmann::json::parse(r.out);
  ASSERT_TRUE(results.is_array());
  ASSERT_FALSE(results.empty());
  EXPECT_LE(results.size(), 2u);
  EXPECT_EQ(results[0]["entry"]["command"], "journalctl -u nginx");
  EXPECT_GT(results[0]["similarity_score"].get<double>(), 0.0);
  EXPECT_TRUE(results[0]["explanation"].is_string());
  EXPECT_TRUE(results[0]["matching_context"].is_string());
}

TEST_F(SearchE2E, FiltersNarrowEveryMode) {
  // Lexical needs every word; semantic uses concepts ("delete" -> rm).
  const std::vector<std::pair<std::string, std::string>> cases{
      {"lexical", "rm build"}, {"semantic", "delete"}, {"hybrid", "rm build delete"}};
  for (const auto& [mode, query] : cases) {
    auto r = cmdai({"search", "--json", "--mode", mode, "--risk", "high", query});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto results = nlohmann::json::parse(r.out);
    ASSERT_EQ(results.size(), 1u) << mode << r.out;
    EXPECT_EQ(results[0]["entry"]["command"], "rm -rf build");
  }
  auto recent = cmdai({"search", "--json", "--since", "7d", "rm build delete"});
  ASSERT_EQ(recent.exit_code, 1) << recent.err;  // no hit, as grep
  EXPECT_TRUE(nlohmann::json::parse(recent.out).empty()) << recent.out;
  auto here = cmdai({"search", "--json", "--here", "--cwd", "/var/log", "logs nginx df git"});
  ASSERT_EQ(here.exit_code, 0) << here.err;
  auto results = nlohmann::json::parse(here.out);
  ASSERT_EQ(results.size(), 1u) << here.out;
  EXPECT_EQ(results[0]["entry"]["command"], "journalctl -u nginx");
}

TEST_F(SearchE2E, BadArgumentsAreUsageErrors) {
  for (std::vector<std::string> args : {std::vector<std::string>{"search", "--mode", "fuzzy", "x"},
                                        {"search", "--since", "yesterday-ish", "x"},
                                        {"search", "--risk", "spicy", "x"},
                                        {"search", "--limit", "0", "x"},
                                        {"search", "--threshold", "2", "x"},
                                        {"search"}}) {
    auto r = cmdai(args);
    EXPECT_EQ(r.exit_code, 2) << args[1] << ": " << r.err;
    EXPECT_EQ(r.err.rfind("cmdai: error: ", 0), 0u) << r.err;
  }
}

TEST_F(SearchE2E, ReindexShowsProgressThenSearchUsesVectors) {
  const std::map<std::string, std::string> env{{"CMDAI_EMBEDDING_MODEL", "builtin:ngram-test"}};
  auto r = cmdai({"history", "reindex"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("4/4  100%"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("embedded 4 entries"), std::string::npos) << r.out;
  auto again = cmdai({"history", "reindex"}, env);
  EXPECT_NE(again.out.find("embedded 0 entries"), std::string::npos) << again.out;
  auto search = cmdai({"search", "--json", "jounalctl"}, env);
  ASSERT_EQ(search.exit_code, 0) << search.err;
  auto results = nlohmann::json::parse(search.out);
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results[0]["entry"]["command"], "journalctl -u nginx");
  EXPECT_NE(results[0]["explanation"].get<std::string>().find("vector"), std::string::npos) << search.out;

  // An entry written after the reindex gets its vector at the next search.
  {
    auto store = history::HistoryStore::open(m_home / "history.db");
    add(*store, "tar -xzf release.tgz", "/srv", std::chrono::system_clock::now(), RiskLevel::safe);
  }
  ASSERT_EQ(cmdai({"search", "tar"}, env).exit_code, 0);
  auto store = history::HistoryStore::open(m_home / "history.db");
  EXPECT_EQ(*store->database().query_int("SELECT count(*) FROM command_history WHERE embedding_vector IS NULL"), 0);
}

TEST_F(SearchE2E, ReindexWithoutAModelSaysWhatToDo) {
  auto r = cmdai({"history", "reindex"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("no embedding model is installed"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cmdai
