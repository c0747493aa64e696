// The hidden shell-record / shell-suggest commands, `cmdai init`, `cmdai
// doctor` and HistoryStore::record_execution, through the built binary.

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "history/history_store.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class ShellCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir / "cmdai");
    std::filesystem::create_directories(m_dir / "home");
    capture(true);
  }
  void capture(bool on) {
    std::ofstream(m_dir / "cmdai/config.toml") << "[history]\ncapture_shell = " << (on ? "true" : "false") << "\n";
  }
  testing::ProcessResult cmdai(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), CMDAI_BINARY);
    env.insert({{"CMDAI_HOME", (m_dir / "cmdai").string()}, {"HOME", (m_dir / "home").string()}, {"NO_COLOR", "1"}});
    return testing::run_process(args, env);
  }
  nlohmann::json history() { return nlohmann::json::parse(cmdai({"history", "list", "--json"}).out); }
  testing::TempDir m_dir;
};

TEST_F(ShellCommands, RecordStoresCwdExitCodeAndDuration) {
  auto r = cmdai({"shell-record", "--", "zsh", "2", "1500", "-", "/srv", "ls /nope"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto entries = history();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["command"], "ls /nope");
  EXPECT_EQ(entries[0]["working_directory"], "/srv");
  EXPECT_EQ(entries[0]["shell_type"], "zsh");
  EXPECT_EQ(entries[0]["execution_metadata"]["exit_code"], 2);
  EXPECT_EQ(entries[0]["execution_metadata"]["execution_time"], 1500.0);
  EXPECT_TRUE(entries[0]["execution_metadata"]["output_size"].is_null());
}

TEST_F(ShellCommands, RecordDoesNothingWhenCaptureIsOffOrTheLineIsACommentOrBlank) {
  capture(false);
  EXPECT_EQ(cmdai({"shell-record", "--", "bash", "0", "1", "-", "/", "ls"}).exit_code, 0);
  capture(true);
  EXPECT_EQ(cmdai({"shell-record", "--", "bash", "0", "1", "-", "/", "# rm -rf /"}).exit_code, 0);
  EXPECT_EQ(cmdai({"shell-record", "--", "bash", "0", "1", "-", "/", "  \n"}).exit_code, 0);
  EXPECT_TRUE(history().empty());
}

TEST_F(ShellCommands, RecordRejectsBadArgumentsClearly) {
  const std::vector<std::vector<std::string>> bad{
      {"shell-record", "--", "bash", "0", "1", "-", "/"},           // too few
      {"shell-record", "--", "bash", "zero", "1", "-", "/", "ls"},  // exit code
      {"shell-record", "--", "bash", "0", "-5", "-", "/", "ls"},    // duration
      {"shell-record", "--", "cmd.exe", "0", "1", "-", "/", "ls"},  // shell
      {"shell-record", "--", "bash", "0", "99999999999999999999", "-", "/", "ls"}};
  for (const auto& args : bad) {
    auto r = cmdai(args);
    EXPECT_EQ(r.exit_code, 2) << args[3] << r.err;
    EXPECT_NE(r.err.find("cmdai: error:"), std::string::npos);
  }
  EXPECT_TRUE(history().empty());
}

TEST_F(ShellCommands, InvalidUtf8AndHugeCommandsAreKeptByteForByte) {
  const std::string odd = "echo \xff\xfe caf\xc3\xa9";
  ASSERT_EQ(cmdai({"shell-record", "--", "bash", "0", "1", "-", "/", odd}).exit_code, 0);
  const std::string huge = "echo " + std::string(100'000, 'x');  // one argv string may hold 128 KiB
  ASSERT_EQ(cmdai({"shell-record", "--", "bash", "0", "1", "-", "/", huge}).exit_code, 0);
  auto store = history::HistoryStore::open(m_dir / "cmdai/history.db");
  ASSERT_TRUE(store);
  auto entries = store->list({0, 10});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].command, huge);
  EXPECT_EQ((*entries)[1].command, odd);
}

TEST_F(ShellCommands, SuggestPrintsTheIdThenTheCommandAndRecordingOnItKeepsGenerationFields) {
  auto r = cmdai({"shell-suggest", "--", "bash", "show", "git", "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto newline = r.out.find('\n');
  const std::string id = r.out.substr(0, newline);
  EXPECT_EQ(r.out.substr(newline + 1), "git status\n");
  ASSERT_EQ(cmdai({"shell-record", "--", "bash", "128", "4", id, "/", "git status"}).exit_code, 0);
  auto entries = history();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["id"], id);
  EXPECT_EQ(entries[0]["execution_metadata"]["exit_code"], 128);
  EXPECT_EQ(entries[0]["execution_metadata"]["backend_used"], "rules");
  EXPECT_EQ(entries[0]["safety_metadata"]["user_confirmed"], true);
  // The user changed the line before Enter: a new entry, the suggestion untouched.
  ASSERT_EQ(cmdai({"shell-record", "--", "bash", "0", "4", id, "/", "git status -s"}).exit_code, 0);
  EXPECT_EQ(history().size(), 2u);
}

TEST_F(ShellCommands, InitPrintsAScriptPerShellAndRejectsOthers) {
  for (const char* shell : {"bash", "zsh", "fish"}) {
    auto r = cmdai({"init", shell});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("shell-suggest"), std::string::npos);
    EXPECT_NE(r.out.find("shell-record"), std::string::npos);  // capture is on in this config
  }
  EXPECT_EQ(cmdai({"init", "powershell"}).exit_code, 2);
  EXPECT_EQ(cmdai({"init"}).exit_code, 2);
  std::ofstream(m_dir / "cmdai/config.toml") << "[shell]\nkey_binding = \"hyper-x\"\n";
  // A bad key in the file is reported and the default binding is used.
  auto bad_key = cmdai({"init", "bash"});
  EXPECT_EQ(bad_key.exit_code, 0);
  EXPECT_NE(bad_key.err.find("ctrl-<letter>"), std::string::npos) << bad_key.err;
  EXPECT_NE(bad_key.out.find("\\C-g"), std::string::npos) << bad_key.out;
}

// The script starts the embedding agent only for a local model file and an
// idle time above 0 (search.embed_agent_idle = 0 turns it off).
TEST_F(ShellCommands, InitStartsTheEmbeddingAgentOnlyForALocalModelFile) {
  const auto model = m_dir / "bge-small.gguf";
  std::ofstream(model) << "GGUF";
  auto starts = [&](std::map<std::string, std::string> env) {
    env.insert({"CMDAI_EMBED_AGENT_IDLE", "300"});
    auto r = cmdai({"init", "bash"}, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.find("embed-agent start") != std::string::npos;
  };
  EXPECT_TRUE(starts({{"CMDAI_EMBEDDING_MODEL", model.string()}}));
  EXPECT_FALSE(starts({{"CMDAI_EMBEDDING_MODEL", model.string()}, {"CMDAI_EMBED_AGENT_IDLE", "0"}}));
  EXPECT_FALSE(starts({{"CMDAI_EMBEDDING_MODEL", (m_dir / "missing.gguf").string()}}));
  EXPECT_FALSE(starts({{"CMDAI_EMBEDDING_MODEL", "builtin:ngram-test"}}));
  EXPECT_FALSE(starts({{"CMDAI_EMBEDDING_MODEL", "none"}}));
  // An installed model in the models directory counts as well.
  std::filesystem::create_directories(m_dir / "cmdai/models");
  std::filesystem::copy_file(model, m_dir / "cmdai/models/bge-small.gguf");
  EXPECT_TRUE(starts({}));
}

TEST_F(ShellCommands, DoctorReportsEachAreaAndWhatToFix) {
  auto r = cmdai({"doctor", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto checks = nlohmann::json::parse(r.out);
  std::set<std::string> areas;
  for (const auto& c : checks) areas.insert(c["area"].get<std::string>());
  EXPECT_EQ(areas, (std::set<std::string>{"config", "history", "models", "backends", "discovery", "shell"}));
  std::ofstream(m_dir / "home/.bashrc") << "eval \"$(cmdai init bash)\"\n";
  std::filesystem::create_directories(m_dir / "cmdai/models");
  std::ofstream(m_dir / "cmdai/models/fake.gguf") << "not a model";
  std::ofstream(m_dir / "cmdai/history.db") << "this is not sqlite, it is garbage of some length....";
  auto broken = cmdai({"doctor"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.out.find("FAIL  models"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("FAIL  history"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find(".corrupt-"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("ok    shell     integration in the rc file for bash"), std::string::npos) << broken.out;
}

TEST(RecordExecution, SetsMetadataAndConfirmationAndReportsUnknownIds) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "h.db");
  ASSERT_TRUE(store);
  CommandHistoryEntry entry;
  entry.id = "0b7e4b1c-3f0a-4c39-9d1e-2b7c8f9a1d2e";
  entry.timestamp = Timestamp{std::chrono::seconds{1'764'547'200}};
  entry.command = "ls";
  entry.safety_metadata = SafetyMetadata{RiskLevel::moderate, {"x.rule"}, false, 0.5};
  ASSERT_TRUE(store->insert(entry));
  const ExecutionMetadata metadata{3, Micros{1500}, 42, "rules", Micros{10}, Micros{2}};
  ASSERT_TRUE(store->record_execution(entry.id, metadata, true));
  auto got = store->get(entry.id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->execution_metadata, metadata);
  EXPECT_TRUE((*got)->safety_metadata->user_confirmed);
  EXPECT_EQ((*got)->safety_metadata->patterns_matched, std::vector<std::string>{"x.rule"});
  EXPECT_EQ((*got)->safety_metadata->risk_level, RiskLevel::moderate);
  auto missing = store->record_execution("1b7e4b1c-3f0a-4c39-9d1e-2b7c8f9a1d2e", metadata, false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace cmdai
