// Unknown is not safe at execution: a model answering "list files" with a
// command that hides what it runs (code inside awk, a command word read at
// run time) never runs without a terminal, -y or not, and on a real
// terminal (tmux) it is asked about. The model is a wire-faithful loopback
// OpenAI-compatible server; the victim is a real directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "shell_integration/tmux_session.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "tools/loopback_server.h"
#include "tools/openai_wire.h"

namespace cmdai::safety {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::openai_wire::command_answer;

std::vector<std::string> request_args(const LoopbackServer& server, std::initializer_list<std::string> flags) {
  std::vector<std::string> args{"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream"};
  args.insert(args.end(), flags);
  args.push_back("list files");
  return args;
}

struct Victim {
  testing::TempDir dir;
  std::filesystem::path path = dir.path() / "victim";
  Victim() {
    std::filesystem::create_directories(path);
    std::ofstream(path / "keep.txt") << "data\n";
  }
  bool intact() const { return std::filesystem::exists(path / "keep.txt"); }
};

TEST(UnverifiedAtExecution, DisguisedDeleteNeverRunsWithoutATerminal) {
  Victim victim;
  const std::string command = "awk 'BEGIN{system(\"rm -r " + victim.path.string() + "\")}'";
  LoopbackServer server([&](const RecordedRequest& r) { return command_answer(r, command, "Lists the files."); });
  testing::TempDir home;
  const auto run = testing::run_cmdai(home.path().string(), request_args(server, {"-x"}));
  EXPECT_NE(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.err.find("cmdai: not run"), std::string::npos) << run.err;
  EXPECT_TRUE(victim.intact()) << run.out << run.err;
}

// A command word cmdai cannot resolve is unverified: -y does not answer it.
TEST(UnverifiedAtExecution, AssumeYesDoesNotAnswerForWhatCmdaiCannotSee) {
  Victim victim;
  std::ofstream(victim.dir.path() / "cmd.txt") << "rm\n";
  const std::string command =
      "c=$(cat " + (victim.dir.path() / "cmd.txt").string() + "); $c -r " + victim.path.string();
  LoopbackServer server([&](const RecordedRequest& r) { return command_answer(r, command, "Lists the files."); });
  testing::TempDir home;
  const auto run = testing::run_cmdai(home.path().string(), request_args(server, {"-x", "-y"}));
  EXPECT_NE(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.err.find("-y does not answer it"), std::string::npos) << run.err;
  EXPECT_TRUE(victim.intact()) << run.out << run.err;

  const auto check = testing::run_cmdai(home.path().string(), {"check", "--json", command});
  const auto json = nlohmann::json::parse(check.out);
  EXPECT_FALSE(json.at("unverified").empty()) << check.out;
}

// A plain safe command with -x -y still runs without a terminal.
TEST(UnverifiedAtExecution, SeenThroughSafeCommandsStillRun) {
  testing::TempDir home;
  LoopbackServer server([&](const RecordedRequest& r) { return command_answer(r, "echo listed", "Lists the files."); });
  const auto run = testing::run_cmdai(home.path().string(), request_args(server, {"-x", "-y"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("listed"), std::string::npos) << run.out;
}

// Runs cmdai under tmux with the model answering `command`, waits for the
// question, declines it, and returns the screen.
std::string decline_on_terminal(const std::string& command, std::initializer_list<std::string> flags) {
  LoopbackServer server([&](const RecordedRequest& r) { return command_answer(r, command, "Lists the files."); });
  testing::TempDir home;
  std::vector<std::string> argv{"/bin/sh", "-c", "\"$@\"; echo EXITED; read done", "sh", CMDAI_BINARY};
  for (const auto& arg : request_args(server, flags)) argv.push_back(arg);
  testing::TmuxSession tmux(argv, {{"CMDAI_HOME", home.path().string()}, {"OPENAI_API_KEY", "unset"}});
  EXPECT_TRUE(tmux.started());
  const bool asked = tmux.wait_for([](const std::string& s) { return s.find("Run it? [y/N") != std::string::npos; });
  EXPECT_TRUE(asked) << tmux.screen();
  if (!asked) return tmux.screen();
  tmux.type("n");
  tmux.press("Enter");
  EXPECT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("EXITED") != std::string::npos; }))
      << tmux.screen();
  return tmux.screen();
}

TEST(UnverifiedAtExecution, OnATerminalTheDisguisedDeleteIsAsked) {
  Victim victim;
  const std::string screen = decline_on_terminal("awk 'BEGIN{system(\"rm -r " + victim.path.string() + "\")}'", {"-x"});
  EXPECT_NE(screen.find("cmdai: not run"), std::string::npos) << screen;
  EXPECT_TRUE(victim.intact()) << screen;
}

// -y would answer a y/N question; it does not answer for what cmdai cannot see.
TEST(UnverifiedAtExecution, OnATerminalAssumeYesStillAsksForWhatCmdaiCannotSee) {
  Victim victim;
  std::ofstream(victim.dir.path() / "cmd.txt") << "rm\n";
  const std::string command =
      "c=$(cat " + (victim.dir.path() / "cmd.txt").string() + "); $c -r " + victim.path.string();
  const std::string screen = decline_on_terminal(command, {"-x", "-y"});
  EXPECT_NE(screen.find("Unverified:"), std::string::npos) << screen;
  EXPECT_NE(screen.find("cmdai: not run"), std::string::npos) << screen;
  EXPECT_TRUE(victim.intact()) << screen;
}

}  // namespace
}  // namespace cmdai::safety
