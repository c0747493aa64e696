// Real bash, zsh and fish under tmux: eval the init script, type a request,
// press the key, see the command on the prompt (not run), press Enter, find
// the run with its exit status in `cmdai history list --json`.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"
#include "tmux_session.h"

namespace cmdai {
namespace {

using testing::occurrences;

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
    for (const char* shell : {"bash", "zsh", "fish"}) {
      std::ofstream(m_dir / "cmdai" / (std::string("shell-init-") + shell)) << "asked\n";
    }
    const std::string bin = CMDAI_BINARY;
    std::ofstream(m_dir / "home/.bashrc") << "PS1='READY> '\neval \"$(" << bin << " init bash)\"\n";
    std::ofstream(m_dir / "home/.zshrc") << "PS1='READY> '\neval \"$(" << bin << " init zsh)\"\n";
    std::ofstream(m_dir / "home/.config/fish/config.fish")
        << "set -g fish_greeting ''\nfunction fish_prompt; echo -n 'READY> '; end\n"
        << bin << " init fish | source\n";
  }

  std::vector<std::string> shell_command() const {
    const std::string& shell = GetParam().name;
    if (shell == "bash") return {"/bin/bash", "--rcfile", (m_dir / "home/.bashrc").string(), "-i"};
    if (shell == "zsh") return {"/usr/bin/zsh", "-i"};
    return {"/usr/bin/fish", "-i"};
  }

  std::map<std::string, std::string> env() const {
    return {{"HOME", (m_dir / "home").string()},
            {"ZDOTDIR", (m_dir / "home").string()},
            {"XDG_CONFIG_HOME", (m_dir / "home/.config").string()},
            {"XDG_DATA_HOME", (m_dir / "home/.local/share").string()},
            {"CMDAI_HOME", (m_dir / "cmdai").string()},
            {"NO_COLOR", "1"}};
  }

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
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return s.find("READY> git status") != std::string::npos && s.find("show git status") == std::string::npos;
  })) << tmux.screen();
  // On the line, not run: no git output, and the entry has no exit code yet.
  EXPECT_EQ(tmux.screen().find("not a git repository"), std::string::npos) << tmux.screen();
  auto before = history();
  const auto* generated = find(before, "git status");
  ASSERT_NE(generated, nullptr) << before.dump(2);
  EXPECT_TRUE((*generated)["execution_metadata"]["exit_code"].is_null()) << generated->dump(2);

  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return s.find("not a git repository") != std::string::npos && occurrences(s, "READY> ") >= 3;
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
  tmux.type("sh -c 'exit 7'");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return occurrences(s, "READY> ") >= 4; })) << tmux.screen();
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
