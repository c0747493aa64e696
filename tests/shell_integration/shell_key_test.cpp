// Real bash, zsh and fish under tmux: eval the init script, type a request,
// press the key, see the command on the prompt (not run) with its
// explanation and risk beside it, press Enter, find the run with its exit
// status in `cmdai history list --json`. A server that holds its answer
// until the test releases it shows what the shell does while cmdai works
// (progress, the request kept, Ctrl-C giving the request back).

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"
#include "tmux_session.h"
#include "tools/loopback_server.h"

namespace cmdai {
namespace {

using testing::last_prompt_line;
using testing::LoopbackServer;
using testing::occurrences;
using testing::RecordedRequest;
using testing::ScriptedResponse;

// cmdai's messages start lines of their own, never glued to the prompt or
// to the typed text.
bool notes_on_their_own_lines(const std::string& screen) {
  std::size_t begin = 0;
  while (begin < screen.size()) {
    const auto end = std::min(screen.find('\n', begin), screen.size());
    const auto at = screen.find("cmdai:", begin);
    if (at < end && at != begin) return false;
    begin = end + 1;
  }
  return true;
}

// An OpenAI-compatible server whose chat answer, {"command": "ls -la",
// "explanation": "Lists files in long format."}, waits for release().
ScriptedResponse held_answer(const RecordedRequest& r) {
  ScriptedResponse out;
  out.chunked = false;
  if (r.path != "/v1/chat/completions") {
    out.chunks = {r.path == "/v1/models" ? R"({"object":"list","data":[{"id":"tiny"}]})" : R"({"status":"ok"})"};
    return out;
  }
  const std::string content =
      nlohmann::json{{"command", "ls -la"}, {"explanation", "Lists files in long format."}}.dump();
  out.hold_after = 0;
  if (r.body.find("\"stream\":true") == std::string::npos) {
    out.chunks = {nlohmann::json{
        {"choices",
         {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}}}
                      .dump()};
    return out;
  }
  out.chunked = true;
  out.content_type = "text/event-stream";
  const nlohmann::json delta{{"choices", {{{"index", 0}, {"delta", {{"content", content}}}}}}};
  out.chunks = {"data: " + delta.dump() + "\n\n", "data: [DONE]\n\n"};
  return out;
}

bool asked_for_an_answer(const LoopbackServer& server) {
  for (const auto& r : server.requests()) {
    if (r.path == "/v1/chat/completions") return true;
  }
  return false;
}

struct ShellCase {
  std::string name;
  std::string key_config;  // shell.key_binding
  std::string tmux_key;
};

class ShellKey : public ::testing::TestWithParam<ShellCase> {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir / "home/.config/fish");
    std::filesystem::create_directories(m_dir / "cmdai");
    std::filesystem::create_directories(m_dir / "work");
    std::ofstream(m_dir / "cmdai/config.toml")
        << "[history]\ncapture_shell = true\n[shell]\nkey_binding = \"" << GetParam().key_config << "\"\n";
    testing::write_hermetic_shell_files(m_dir.path(), CMDAI_BINARY);
  }

  // The key answers through the held server only (no fallback to the rules).
  void use_held_server(const LoopbackServer& server) {
    std::ofstream(m_dir / "cmdai/config.toml")
        << "[history]\ncapture_shell = true\n[shell]\nkey_binding = \"" << GetParam().key_config << "\"\n"
        << "[backend]\npreferred = \"slow\"\nfallback_chain = [\"slow\"]\n"
        << "[backend.instances.slow]\ntype = \"openai\"\nendpoint = \"" << server.url() << "\"\n";
  }

  // A shell at its first prompt in the work directory.
  void start_in_work_dir(testing::TmuxSession& tmux) {
    ASSERT_TRUE(tmux.started());
    ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("READY> ") != std::string::npos; }))
        << tmux.screen();
    tmux.type("cd " + (m_dir / "work").string());
    tmux.press("Enter");
    ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return occurrences(s, "READY> ") >= 2; })) << tmux.screen();
  }

  std::vector<std::string> shell_command() const { return testing::hermetic_shell(GetParam().name, m_dir.path()); }

  std::map<std::string, std::string> env() const { return testing::hermetic_shell_env(m_dir.path()); }

  nlohmann::json history() {
    auto r =
        testing::run_process({CMDAI_BINARY, "history", "list", "--json"}, {{"CMDAI_HOME", (m_dir / "cmdai").string()}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  const nlohmann::json* find(const nlohmann::json& entries, const std::string& command) {
    for (const auto& e : entries) {
      if (e["command"] == command) return &e;
    }
    return nullptr;
  }

  testing::TempDir m_dir;
};

TEST_P(ShellKey, KeyPutsTheCommandOnThePromptAndEnterRunsAndRecordsIt) {
  // cd first: the widget generates for the shell's cwd, and it is no git repo.
  const auto work = (m_dir / "work").string();
  testing::TmuxSession tmux(shell_command(), env());
  ASSERT_TRUE(tmux.started());
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("READY> ") != std::string::npos; }))
      << tmux.screen();
  tmux.type("cd " + work);
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return occurrences(s, "READY> ") >= 2; })) << tmux.screen();

  tmux.type("show git status");
  tmux.press(GetParam().tmux_key);
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return last_prompt_line(s).starts_with("READY> git status"); }))
      << tmux.screen();
  // On the line, not run: no git output, and the entry has no exit code yet.
  // Its explanation and risk are shown beside it, each on a line of its own.
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("cmdai: Risk: safe") != std::string::npos; }))
      << tmux.screen();
  const auto shown = tmux.screen();
  EXPECT_NE(shown.find("cmdai: Shows"), std::string::npos) << shown;
  EXPECT_TRUE(notes_on_their_own_lines(shown)) << shown;
  EXPECT_EQ(shown.find("not a git repository"), std::string::npos) << shown;
  auto before = history();
  const auto* generated = find(before, "git status");
  ASSERT_NE(generated, nullptr) << before.dump(2);
  EXPECT_TRUE((*generated)["execution_metadata"]["exit_code"].is_null()) << generated->dump(2);

  const auto shown_prompts = occurrences(shown, "READY> ");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([&](const std::string& s) {
    return s.find("not a git repository") != std::string::npos && occurrences(s, "READY> ") > shown_prompts;
  })) << tmux.screen();
  auto after = history();
  const auto* ran = find(after, "git status");
  ASSERT_NE(ran, nullptr) << after.dump(2);
  EXPECT_EQ((*ran)["id"], (*generated)["id"]);
  EXPECT_EQ((*ran)["execution_metadata"]["exit_code"], 128) << ran->dump(2);
  EXPECT_TRUE((*ran)["execution_metadata"]["execution_time"].is_number());
  EXPECT_EQ((*ran)["execution_metadata"]["backend_used"], "rules");
  EXPECT_EQ((*ran)["safety_metadata"]["user_confirmed"], true);
  EXPECT_EQ((*ran)["shell_type"], GetParam().name);

  // A command typed by hand is recorded too, with its cwd and status.
  // (bash and fish show the request once more above the notes, so prompts
  // are counted from here.)
  const auto prompts = occurrences(tmux.screen(), "READY> ");
  tmux.type("sh -c 'exit 7'");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([&](const std::string& s) { return occurrences(s, "READY> ") > prompts; }))
      << tmux.screen();
  auto last = history();
  const auto* typed = find(last, "sh -c 'exit 7'");
  ASSERT_NE(typed, nullptr) << last.dump(2);
  EXPECT_EQ((*typed)["execution_metadata"]["exit_code"], 7);
  EXPECT_EQ((*typed)["working_directory"], work);
  EXPECT_EQ((*typed)["safety_metadata"]["user_confirmed"], false);
  EXPECT_EQ((*typed)["tags"], nlohmann::json::array({"shell"}));
  EXPECT_EQ(find(last, "cd " + work) != nullptr, true);
}

// zsh without INTERACTIVE_COMMENTS (its default) runs "# a; b" as the
// command '#' and then b, so a suggestion that needs more than Enter must
// never be put on the line in any form: it is shown above the prompt and the
// line is emptied, and Enter then runs nothing of it.
TEST_P(ShellKey, ASuggestionThatNeedsMoreThanEnterNeverReachesTheLine) {
  std::ofstream(m_dir / "cmdai/config.toml")
      << "[history]\ncapture_shell = true\n[shell]\nkey_binding = \"" << GetParam().key_config << "\"\n"
      << "[safety]\nlevel = \"strict\"\ncustom_patterns = [\"touch\"]\n";
  const auto work = m_dir / "work";
  testing::TmuxSession tmux(shell_command(), env());
  ASSERT_TRUE(tmux.started());
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("READY> ") != std::string::npos; }))
      << tmux.screen();
  tmux.type("cd " + work.string());
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return occurrences(s, "READY> ") >= 2; })) << tmux.screen();

  // A request typed as a command is answered as typed: the suggestion is
  // this very line, rated high by the custom pattern and blocked by strict.
  tmux.type("touch first-file.txt | touch second-file.txt");
  tmux.press(GetParam().tmux_key);
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return s.find("not put on the command line") != std::string::npos;
  })) << tmux.screen();
  EXPECT_TRUE(notes_on_their_own_lines(tmux.screen())) << tmux.screen();
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return occurrences(s, "READY> ") >= 3; })) << tmux.screen();
  // One more command after it, so that whatever Enter started has finished.
  tmux.type("echo done-4\"\"2");  // prints done-42 in every shell; the typed line does not read so
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("done-42") != std::string::npos; }))
      << tmux.screen();
  EXPECT_FALSE(std::filesystem::exists(work / "first-file.txt")) << tmux.screen();
  EXPECT_FALSE(std::filesystem::exists(work / "second-file.txt")) << tmux.screen();
  EXPECT_EQ(tmux.screen().find("command not found"), std::string::npos) << tmux.screen();
}

// While the server holds its answer the request stays in view with a sign
// of life below it (bash and fish: cmdai's spinner; zsh: zle's message
// line); once the answer comes, the command is on the line with its
// explanation and risk beside it.
TEST_P(ShellKey, WhileCmdaiWorksTheRequestStaysWithProgressThenTheCommandComesWithItsRisk) {
  LoopbackServer server(held_answer);
  use_held_server(server);
  testing::TmuxSession tmux(shell_command(), env());
  start_in_work_dir(tmux);
  tmux.type("list the files here");
  tmux.press(GetParam().tmux_key);
  ASSERT_TRUE(tmux.wait_for([&](const std::string&) { return asked_for_an_answer(server); })) << tmux.screen();
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return (s.find("cmdai is working") != std::string::npos || s.find("waiting for") != std::string::npos) &&
           s.find("READY> list the files here") != std::string::npos;
  })) << tmux.screen();
  server.release();
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return last_prompt_line(s).starts_with("READY> ls -la") && s.find("cmdai: Risk: safe") != std::string::npos;
  })) << tmux.screen();
  const auto shown = tmux.screen();
  EXPECT_NE(shown.find("cmdai: Lists files in long format."), std::string::npos) << shown;
  EXPECT_EQ(shown.find("waiting for"), std::string::npos) << "the spinner is erased: " << shown;
  EXPECT_TRUE(notes_on_their_own_lines(shown)) << shown;
}

// Ctrl-C while the server holds its answer stops cmdai and leaves the
// request on the line exactly as typed: Enter then runs it.
TEST_P(ShellKey, CtrlCWhileCmdaiWorksPutsTheRequestBack) {
  LoopbackServer server(held_answer);
  use_held_server(server);
  testing::TmuxSession tmux(shell_command(), env());
  start_in_work_dir(tmux);
  tmux.type("echo back-4\"\"2");  // prints back-42 in every shell; the typed line does not read so
  tmux.press(GetParam().tmux_key);
  ASSERT_TRUE(tmux.wait_for([&](const std::string&) { return asked_for_an_answer(server); })) << tmux.screen();
  tmux.press("C-c");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return s.find("the request is back on the line") != std::string::npos;
  })) << tmux.screen();
  EXPECT_TRUE(notes_on_their_own_lines(tmux.screen())) << tmux.screen();
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("back-42") != std::string::npos; }))
      << tmux.screen();
  server.release();
}

INSTANTIATE_TEST_SUITE_P(Shells, ShellKey,
                         ::testing::Values(ShellCase{"bash", "ctrl-g", "C-g"}, ShellCase{"zsh", "alt-j", "M-j"},
                                           ShellCase{"fish", "ctrl-g", "C-g"}),
                         [](const ::testing::TestParamInfo<ShellCase>& shell_case) { return shell_case.param.name; });

}  // namespace
}  // namespace cmdai

namespace cmdai {
namespace {

// bash's DEBUG trap also fires for the key's widget; the widget re-arms the
// clock even when it fails, so the next command's start is taken when that
// command starts, not when the key was pressed (idle time is not its time).
// Checked by order, not by duration: the start the capture hook took must be
// later than a moment after the failed key press.
TEST(ShellCapture, AfterAFailedKeyTheNextCommandStartsItsOwnClock) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "home");
  std::filesystem::create_directories(dir / "cmdai");
  std::ofstream(dir / "cmdai/config.toml") << "[history]\ncapture_shell = true\n";
  std::ofstream(dir / "cmdai/shell-init-bash") << "asked\n";
  std::ofstream(dir / "home/.bashrc") << "PS1='READY> '\neval \"$(" << CMDAI_BINARY << " init bash)\"\n";
  const std::map<std::string, std::string> env{
      {"HOME", (dir / "home").string()}, {"CMDAI_HOME", (dir / "cmdai").string()}, {"NO_COLOR", "1"}};
  testing::TmuxSession tmux({"/bin/bash", "--rcfile", (dir / "home/.bashrc").string(), "-i"}, env);
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("READY> ") != std::string::npos; }))
      << tmux.screen();
  tmux.type("zqxv blorf wuggle");
  tmux.press("C-g");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("cmdai: error") != std::string::npos; }))
      << tmux.screen();
  const auto after_key = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  tmux.press("C-u");
  tmux.type("echo \"start=[$__cmdai_start]\"");
  tmux.press("Enter");
  std::string screen;
  ASSERT_TRUE(tmux.wait_for([&](const std::string& s) {
    screen = s;
    return s.find("start=[1") != std::string::npos;
  })) << tmux.screen();
  const auto at = screen.find("start=[1") + 7;  // the output, not the typed line
  const double start = std::stod(screen.substr(at, screen.find(']', at) - at));
  EXPECT_GT(start, after_key) << screen;
}

TEST(FirstInit, OffersToImportTheShellHistoryOnceAndOnlyOnATerminal) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "home");
  std::filesystem::create_directories(dir / "cmdai");
  std::ofstream(dir / "home/.bash_history") << "ls -la\ngit status\n";
  std::ofstream(dir / "home/.bashrc") << "PS1='READY> '\neval \"$(" << CMDAI_BINARY << " init bash)\"\n";
  const std::map<std::string, std::string> env{
      {"HOME", (dir / "home").string()}, {"CMDAI_HOME", (dir / "cmdai").string()}, {"NO_COLOR", "1"}};
  const std::vector<std::string> bash{"/bin/bash", "--rcfile", (dir / "home/.bashrc").string(), "-i"};

  // Without a terminal (the script piped somewhere) nothing is asked.
  auto piped = testing::run_process({CMDAI_BINARY, "init", "bash"}, env);
  EXPECT_EQ(piped.err.find("import"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "cmdai/shell-init-bash"));
  {
    testing::TmuxSession tmux(bash, env);
    ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
      return s.find("import your bash history") != std::string::npos;
    })) << tmux.screen();
    tmux.type("y");
    tmux.press("Enter");
    ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("READY> ") != std::string::npos; }))
        << tmux.screen();
    EXPECT_NE(tmux.screen().find("imported 2 commands"), std::string::npos) << tmux.screen();
  }
  auto listed = testing::run_process({CMDAI_BINARY, "history", "list", "--json"}, env);
  EXPECT_NE(listed.out.find("\"git status\""), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("\"ls -la\""), std::string::npos) << listed.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "cmdai/shell-init-bash"));
  testing::TmuxSession again(bash, env);
  ASSERT_TRUE(again.wait_for([](const std::string& s) { return s.find("READY> ") != std::string::npos; }));
  EXPECT_EQ(again.screen().find("import your"), std::string::npos) << again.screen();
}

}  // namespace
}  // namespace cmdai
