// `cmdai guard ...` as the agents run it: the real binary, a real history
// database, events on stdin, answers on stdout/stderr and the exit status.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/read_file.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

using Json = nlohmann::json;

class GuardCli : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args, const std::string& stdin_data = {}) {
    args.insert(args.begin(), CMDAI_BINARY);
    return testing::run_process(
        args, {{"CMDAI_HOME", (m_home / "cmdai").string()}, {"NO_COLOR", "1"}, {"HOME", m_home.path().string()}},
        stdin_data);
  }
  std::string claude_event(const std::string& command, const std::string& tool = "Bash") {
    return Json{{"session_id", "s-42"},
                {"cwd", m_home.path().string()},
                {"hook_event_name", "PreToolUse"},
                {"tool_name", tool},
                {"tool_input", {{"command", command}}}}
        .dump();
  }
  testing::TempDir m_home;
};

TEST_F(GuardCli, DeniesACriticalCommandInClaudeCodesFormatAndRecordsIt) {
  const auto result = cmdai({"guard", "claude-code"}, claude_event("rm -rf ~"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto answer = Json::parse(result.out);
  EXPECT_EQ(answer["hookSpecificOutput"]["permissionDecision"], "deny");
  EXPECT_NE(answer["hookSpecificOutput"]["permissionDecisionReason"].get<std::string>().find("`rm -rf ~`"),
            std::string::npos);

  const auto log = cmdai({"guard", "log", "--json"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  const auto decisions = Json::parse(log.out);
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0]["agent"], "claude-code");
  EXPECT_EQ(decisions[0]["decision"], "deny");
  EXPECT_EQ(decisions[0]["risk_level"], "critical");
  EXPECT_EQ(decisions[0]["session_id"], "s-42");
  EXPECT_EQ(decisions[0]["cwd"], m_home.path().string());
  EXPECT_FALSE(decisions[0]["rule_ids"].empty());

  const auto listed = cmdai({"history", "list", "--source", "claude-code", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(Json::parse(listed.out).size(), 1u);
  EXPECT_TRUE(Json::parse(cmdai({"history", "list", "--source", "cursor", "--json"}).out).empty());
  const auto found = cmdai({"search", "--json", "rm"});
  EXPECT_NE(found.out.find("rm -rf ~"), std::string::npos) << found.out << found.err;
}

TEST_F(GuardCli, OtherToolsPassUntouchedAndUnrecorded) {
  const auto result = cmdai({"guard", "claude-code"}, claude_event("", "Read"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(cmdai({"guard", "log", "--json"}).out, "[]\n");
}

TEST_F(GuardCli, SafeCommandsGetNoDecision) {
  const auto result = cmdai({"guard", "gemini-cli"}, R"({"hook_event_name": "BeforeTool", "tool_name":
      "run_shell_command", "tool_input": {"command": "ls -la"}, "cwd": "/tmp", "session_id": "g"})");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "{}\n");
}

TEST_F(GuardCli, MalformedEventsBlockWithExitTwo) {
  for (const std::string& input : {std::string("{not json"), std::string("[]"), std::string(""),
                                   std::string(R"({"hook_event_name": "PreToolUse", "tool_name": "Bash"})")}) {
    const auto result = cmdai({"guard", "claude-code"}, input);
    EXPECT_EQ(result.exit_code, 2) << input;
    EXPECT_NE(result.err.find("cmdai guard blocked this command because"), std::string::npos) << result.err;
  }
  const auto cursor = cmdai({"guard", "cursor"}, R"({"hook_event_name": "beforeMCPExecution"})");
  EXPECT_EQ(cursor.exit_code, 2);
  EXPECT_EQ(Json::parse(cursor.out)["permission"], "deny");
}

TEST_F(GuardCli, AnUnknownAgentBlocks) {
  const auto result = cmdai({"guard", "claude-cod"}, claude_event("ls"));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("did you mean 'claude-code'?"), std::string::npos) << result.err;
}

TEST_F(GuardCli, ADecisionThatCannotBeRecordedBlocks) {
  std::filesystem::create_directories(m_home / "cmdai/history.db");  // a directory where the database should be
  const auto result = cmdai({"guard", "claude-code"}, claude_event("ls -la"));
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.err.find("could not record"), std::string::npos) << result.err;
}

TEST_F(GuardCli, AConfigurationThatCannotBeUsedBlocksEvenASafeCommand) {
  // Its guard.deny list is unknown, so no decision can be trusted.
  std::filesystem::create_directories(m_home / "cmdai");
  std::ofstream(m_home / "cmdai/config.toml") << "guard.deny = [\"rm \n";
  const auto result = cmdai({"guard", "claude-code"}, claude_event("ls -la"));
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.err.find("configuration file cannot be used"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("config.toml"), std::string::npos) << result.err;

  const auto shell = cmdai({"shell-guard", "--", "bash", "ls -la"});
  EXPECT_EQ(shell.exit_code, 4) << shell.err;
  EXPECT_NE(shell.err.find("configuration file cannot be used"), std::string::npos) << shell.err;
}

TEST_F(GuardCli, ADecisionLaterThanTheTimeoutBlocks) {
  // The agent never closes stdin: the deadline answers for cmdai.
  int in[2], out[2];
  ASSERT_EQ(::pipe(in), 0);
  ASSERT_EQ(::pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  const std::string home = "CMDAI_HOME=" + (m_home / "cmdai").string();
  std::vector<std::string> args{CMDAI_BINARY, "guard", "claude-code", "--config", "guard.timeout_ms=200"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string env_home = home;
  char* envp[] = {env_home.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  const std::string partial = "{\"hook_event_name\": \"PreToolUse\", ";
  ASSERT_EQ(::write(in[1], partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::close(in[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;) output.append(buffer, static_cast<std::size_t>(n));
  ::close(out[0]);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(output.find("did not decide within 200 ms"), std::string::npos) << output;
}

TEST_F(GuardCli, InstallStatusUninstall) {
  const auto project = m_home / "project";
  std::filesystem::create_directories(project / ".claude");
  std::ofstream(project / ".claude/settings.json") << R"({"model": "opus"})";
  const auto installed = cmdai({"guard", "install", "claude-code", "--project", project.string()});
  ASSERT_EQ(installed.exit_code, 0) << installed.err;
  EXPECT_NE(installed.out.find("installed"), std::string::npos);
  EXPECT_NE(installed.err.find("fails open"), std::string::npos) << installed.err;
  const auto settings = Json::parse(testing::read_file(project / ".claude/settings.json"));
  EXPECT_EQ(settings["model"], "opus");
  const std::string command = settings["hooks"]["PreToolUse"][0]["hooks"][0]["command"];
  EXPECT_TRUE(command.ends_with(" guard claude-code")) << command;
  EXPECT_EQ(testing::read_file(project / ".claude/settings.json.cmdai-backup"), R"({"model": "opus"})");
  EXPECT_NE(cmdai({"guard", "install", "claude-code", "--project", project.string()}).out.find("already installed"),
            std::string::npos);

  const auto status = cmdai({"guard", "status", "--project", project.string()});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find((project / ".claude/settings.json").string() + "\n    installed"), std::string::npos)
      << status.out;

  const auto user = cmdai({"guard", "install", "cursor", "--user"});
  ASSERT_EQ(user.exit_code, 0) << user.err;
  EXPECT_TRUE(std::filesystem::exists(m_home / ".cursor/hooks.json"));

  ASSERT_EQ(cmdai({"guard", "uninstall", "claude-code", "--project", project.string()}).exit_code, 0);
  EXPECT_EQ(Json::parse(testing::read_file(project / ".claude/settings.json")), Json::parse(R"({"model": "opus"})"));
  EXPECT_EQ(cmdai({"guard", "install", "claude-code", "--project", project.string(), "--user"}).exit_code, 2);
  EXPECT_EQ(cmdai({"guard", "install", "nobody"}).exit_code, 2);
}

}  // namespace
}  // namespace cmdai
