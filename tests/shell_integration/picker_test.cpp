// Ctrl-R in real bash, zsh and fish under tmux: the history picker opens
// with the line as its query, Tab leaves the choice on the prompt, Enter
// runs it (shell.enter_runs), Esc gives the original line back, Ctrl-R in
// the picker cycles the filter modes and Ctrl-F marks a favourite.

#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"
#include "tmux_session.h"

namespace cmdai {
namespace {

using testing::last_prompt_line;

bool has(const std::string& screen, const std::string& text) { return screen.find(text) != std::string::npos; }

// A line of the screen that is exactly text (a command's output).
bool has_line(const std::string& screen, const std::string& text) {
  return screen.starts_with(text + "\n") || has(screen, "\n" + text + "\n");
}

// The last prompt line is this text (spaces a shorter redraw left after it aside).
bool prompt_is(const std::string& screen, const std::string& text) {
  std::string line = last_prompt_line(screen);
  line.erase(line.find_last_not_of(' ') + 1);
  return line == text;
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The running `cmdai pick` whose CMDAI_HOME is home; 0 when there is none.
pid_t picker_pid(const std::filesystem::path& home) {
  std::error_code ec;
  const auto binary = std::filesystem::canonical(CMDAI_BINARY, ec);
  const std::string wanted = "CMDAI_HOME=" + home.string() + '\0';
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (std::filesystem::read_symlink(entry.path() / "exe", ec) != binary || ec) continue;
    const std::string argv = file_text(entry.path() / "cmdline");
    if (argv.find(std::string(1, '\0') + "pick" + '\0') == std::string::npos) continue;
    if (file_text(entry.path() / "environ").find(wanted) == std::string::npos) continue;
    return static_cast<pid_t>(std::stoi(name));
  }
  return 0;
}

bool picker_closed(const std::string& screen) { return !has(screen, "[global]") && !has(screen, "Esc back"); }

class Picker : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir / "home/.config/fish");
    std::filesystem::create_directories(m_dir / "cmdai");
    write_config(true);
    testing::write_hermetic_shell_files(m_dir.path(), CMDAI_BINARY);
    // Two entries that ran and one that failed, imported as history.
    std::ofstream(m_dir / "entries.jsonl") << entry("00000000-0000-4000-8000-000000000001", "echo alpha-one", 0)
                                           << entry("00000000-0000-4000-8000-000000000002", "echo alpha-two", 0)
                                           << entry("00000000-0000-4000-8000-000000000003", "echo alpha-three", 3);
    auto imported = cmdai({"history", "import", "--format", "jsonl", (m_dir / "entries.jsonl").string()});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }

  void write_config(bool enter_runs) {
    std::ofstream(m_dir / "cmdai/config.toml") << "[shell]\nenter_runs = " << (enter_runs ? "true" : "false") << "\n";
  }

  static std::string entry(const std::string& id, const std::string& command, int exit_code) {
    return nlohmann::json{{"id", id},
                          {"timestamp", "2026-01-01T10:00:00Z"},
                          {"command", command},
                          {"explanation", ""},
                          {"shell_type", "bash"},
                          {"working_directory", "/tmp"},
                          {"execution_metadata", {{"exit_code", exit_code}, {"backend_used", "shell"}}}}
               .dump() +
           "\n";
  }

  testing::ProcessResult cmdai(const std::vector<std::string>& args) {
    std::vector<std::string> argv{CMDAI_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_process(argv, {{"CMDAI_HOME", (m_dir / "cmdai").string()}});
  }

  std::vector<std::string> shell_command() const { return testing::hermetic_shell(GetParam(), m_dir.path()); }

  std::map<std::string, std::string> env() const { return testing::hermetic_shell_env(m_dir.path()); }

  // A shell at its prompt, with `typed` on the line and the picker open on it.
  void open_picker(testing::TmuxSession& tmux, const std::string& typed, const std::string& row) {
    ASSERT_TRUE(tmux.started());
    ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "READY> "); })) << tmux.screen();
    tmux.type(typed);
    ASSERT_TRUE(tmux.wait_for([&](const std::string& s) { return prompt_is(s, "READY> " + typed); })) << tmux.screen();
    tmux.press("C-r");
    ASSERT_TRUE(tmux.wait_for([&](const std::string& s) {
      return s.starts_with("> " + typed) && has(s, "[global]") && has(s, row);
    })) << tmux.screen();
  }

  testing::TempDir m_dir;
};

TEST_P(Picker, TabPutsTheChoiceOnThePromptAndEscGivesTheLineBack) {
  testing::TmuxSession tmux(shell_command(), env());
  open_picker(tmux, "alpha-tw", "echo alpha-two");
  // The best match first: Tab takes it.
  tmux.press("Tab");
  ASSERT_TRUE(tmux.wait_for([&](const std::string& s) {
    return picker_closed(s) && prompt_is(s, "READY> echo alpha-two");
  })) << tmux.screen();
  EXPECT_FALSE(has_line(tmux.screen(), "alpha-two")) << "ran instead of waiting on the prompt:\n" << tmux.screen();

  // Esc: the line is what it was before Ctrl-R.
  tmux.press("C-u");
  tmux.type("alpha-o");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return prompt_is(s, "READY> alpha-o"); })) << tmux.screen();
  tmux.press("C-r");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return s.starts_with("> alpha-o") && has(s, "echo alpha-one");
  })) << tmux.screen();
  tmux.press("Escape");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return picker_closed(s) && prompt_is(s, "READY> alpha-o"); }))
      << tmux.screen();
}

TEST_P(Picker, CtrlRCyclesTheFilterModesAndCtrlFMarksAFavorite) {
  testing::TmuxSession tmux(shell_command(), env());
  open_picker(tmux, "alpha", "echo alpha-three");
  ASSERT_TRUE(has(tmux.screen(), "echo alpha-one")) << tmux.screen();
  // global -> this host -> this session -> this directory -> failed.
  tmux.press("C-r");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "[this host] 3"); })) << tmux.screen();
  tmux.press("C-r");
  // Imported entries belong to no shell session.
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "[this session] 0"); })) << tmux.screen();
  tmux.press("C-r");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "[this directory]"); })) << tmux.screen();
  tmux.press("C-r");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return has(s, "[failed] 1") && has(s, "echo alpha-three") && !has(s, "echo alpha-one");
  })) << tmux.screen();
  tmux.press("C-f");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "marked favorite") && has(s, "> * "); }))
      << tmux.screen();
  tmux.press("C-g");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return picker_closed(s) && prompt_is(s, "READY> alpha"); }))
      << tmux.screen();
  auto listed = cmdai({"history", "list", "--json"});
  const auto entries = nlohmann::json::parse(listed.out, nullptr, false);
  for (const auto& e : entries) {
    EXPECT_EQ(e.value("favorite", false), e["command"] == "echo alpha-three") << e.dump();
  }
}

TEST_P(Picker, EnterRunsTheChoiceUnlessEnterRunsIsOff) {
  {
    testing::TmuxSession tmux(shell_command(), env());
    open_picker(tmux, "alpha-tw", "echo alpha-two");
    tmux.press("Enter");
    ASSERT_TRUE(tmux.wait_for([&](const std::string& s) {
      return picker_closed(s) && has_line(s, "alpha-two") && prompt_is(s, "READY>");
    })) << tmux.screen();
  }
  write_config(false);
  testing::TmuxSession tmux(shell_command(), env());
  open_picker(tmux, "alpha-tw", "echo alpha-two");
  EXPECT_TRUE(has(tmux.screen(), "Enter/Tab edit")) << tmux.screen();
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([&](const std::string& s) {
    return picker_closed(s) && prompt_is(s, "READY> echo alpha-two");
  })) << tmux.screen();
  EXPECT_FALSE(has_line(tmux.screen(), "alpha-two")) << tmux.screen();
}

// Killed (SIGTERM, SIGHUP), the picker gives the terminal back as Esc does:
// its screen is gone, the line is what it was and the shell takes keys.
TEST_P(Picker, ASignalEndsThePickerAsEscDoes) {
  for (int signal : {SIGTERM, SIGHUP}) {
    testing::TmuxSession tmux(shell_command(), env());
    open_picker(tmux, "alpha-tw", "echo alpha-two");
    const pid_t pid = picker_pid(m_dir / "cmdai");
    ASSERT_NE(pid, 0) << "no picker process found";
    ASSERT_EQ(::kill(pid, signal), 0);
    ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return picker_closed(s) && prompt_is(s, "READY> alpha-tw"); }))
        << "signal " << signal << ":\n"
        << tmux.screen();
    EXPECT_EQ(picker_pid(m_dir / "cmdai"), 0) << "the picker outlived signal " << signal;
    tmux.press("C-u");
    tmux.type("echo after-signal");
    tmux.press("Enter");
    ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has_line(s, "after-signal"); })) << tmux.screen();
  }
}

INSTANTIATE_TEST_SUITE_P(Shells, Picker, ::testing::Values("bash", "zsh", "fish"),
                         [](const ::testing::TestParamInfo<std::string>& shell) { return shell.param; });

}  // namespace
}  // namespace cmdai
