// `cmdai history ...` and `cmdai search` against a real history.db.

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class HistoryCli : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args, const std::string& stdin_data = {}) {
    args.insert(args.begin(), CMDAI_BINARY);
    return testing::run_process(args, {{"CMDAI_HOME", m_home.path().string()}, {"NO_COLOR", "1"}}, stdin_data);
  }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = m_home / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  testing::TempDir m_home;
};

TEST_F(HistoryCli, ImportListShowFavoriteSearchDeleteExport) {
  const auto file = write("zsh_history",
                          ": 1700000000:0;systemctl reload nginx\n"
                          ": 1700000100:0;tar -czf backup.tar.gz /etc\n"
                          ": oops\n");
  auto imported = cmdai({"history", "import", "--format", "zsh", file});
  EXPECT_EQ(imported.exit_code, 1) << "a bad line is reported";
  EXPECT_NE(imported.out.find("imported 2"), std::string::npos) << imported.out;
  EXPECT_NE(imported.err.find("zsh_history:3:"), std::string::npos) << imported.err;

  auto list = cmdai({"history", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto entries = nlohmann::json::parse(list.out);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["command"], "tar -czf backup.tar.gz /etc");
  const std::string id = entries[1]["id"];

  auto show = cmdai({"history", "show", id.substr(0, 8), "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out)["command"], "systemctl reload nginx");
  EXPECT_EQ(cmdai({"history", "favorite", id.substr(0, 8)}).exit_code, 0);

  auto found = cmdai({"search", "systemclt", "reload", "--favorites", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  auto results = nlohmann::json::parse(found.out);
  ASSERT_EQ(results.size(), 1u) << found.out;
  for (const char* key : {"entry", "similarity_score", "matching_context", "explanation"}) {
    EXPECT_TRUE(results[0].contains(key)) << key;
  }
  EXPECT_EQ(results[0]["entry"]["id"], id);
  EXPECT_EQ(nlohmann::json::parse(cmdai({"search", "tar", "--since", "2023-11-15", "--json"}).out).size(), 0u);
  EXPECT_EQ(cmdai({"search", "tar", "--since", "soon"}).exit_code, 2);

  auto exported = cmdai({"history", "export", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(std::count(exported.out.begin(), exported.out.end(), '\n'), 2);
  EXPECT_NE(exported.out.find("\"favorite\":true"), std::string::npos);

  EXPECT_EQ(cmdai({"history", "delete", id}).exit_code, 0);
  EXPECT_EQ(cmdai({"history", "show", id}).exit_code, 5);
  EXPECT_EQ(nlohmann::json::parse(cmdai({"history", "list", "--json"}).out).size(), 1u);

  const auto jsonl = write("back.jsonl", exported.out);
  auto back = cmdai({"history", "import", "--format", "jsonl", jsonl});
  EXPECT_EQ(back.exit_code, 0) << back.err;
  EXPECT_NE(back.out.find("imported 1, skipped 1"), std::string::npos) << back.out;
}

TEST_F(HistoryCli, StatsCleanupAndReplay) {
  ASSERT_EQ(cmdai({"show git status"}).exit_code, 0);
  auto list = nlohmann::json::parse(cmdai({"history", "list", "--json"}).out);
  const std::string id = list[0]["id"];

  // A replay always asks: without a terminal or -y even a dry run says it would be blocked.
  auto dry = cmdai({"history", "replay", id.substr(0, 8), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 4) << dry.err;
  EXPECT_NE(dry.out.find("Risk: safe"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("Would run: git status"), std::string::npos) << dry.out;
  EXPECT_EQ(cmdai({"history", "replay", id.substr(0, 8), "--dry-run", "--yes"}).exit_code, 0);
  auto refused = cmdai({"history", "replay", id.substr(0, 8)});
  EXPECT_NE(refused.exit_code, 0) << "no terminal and no --yes: not run";

  const auto script = write("replay.jsonl", R"({"id":"11111111-1111-4111-8111-111111111111","timestamp":)"
                                            R"("2026-01-01T00:00:00Z","command":"echo replayed-ok","shell_type":"sh"})"
                                            "\n");
  ASSERT_EQ(cmdai({"history", "import", "--format", "jsonl", script}).exit_code, 0);
  auto replayed = cmdai({"history", "replay", "11111111", "--yes"});
  EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
  auto after = nlohmann::json::parse(cmdai({"history", "show", "11111111", "--json"}).out);
  EXPECT_EQ(after["use_count"], 1);
  EXPECT_EQ(after["execution_metadata"]["exit_code"], 0);
  EXPECT_EQ(after["safety_metadata"]["user_confirmed"], true);

  auto stats = cmdai({"history", "stats", "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  auto s = nlohmann::json::parse(stats.out);
  EXPECT_EQ(s["total"], 2);
  EXPECT_EQ(s["executed"], 1);
  EXPECT_EQ(s["success_rate"], 1.0);
  EXPECT_FALSE(s["top_commands"].empty());

  auto cleanup = cmdai({"history", "cleanup"});
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.err;
  EXPECT_NE(cleanup.out.find("2 remain"), std::string::npos) << cleanup.out;
}

TEST_F(HistoryCli, GarbageDatabaseIsMovedAsideAndCmdaiKeepsWorking) {
  write("history.db", std::string(10000, '\x07'));
  auto r = cmdai({"show git status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto list = cmdai({"history", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(nlohmann::json::parse(list.out).size(), 1u);
  bool moved = false;
  for (const auto& f : std::filesystem::directory_iterator(m_home.path())) {
    moved = moved || f.path().filename().string().rfind("history.db.corrupt-", 0) == 0;
  }
  EXPECT_TRUE(moved);
}

}  // namespace
}  // namespace cmdai
