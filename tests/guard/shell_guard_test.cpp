// The shell guard in real bash, zsh and fish under tmux: Enter on a command
// cmdai would ask about shows why and asks; "n" leaves it on the line unrun,
// "y" runs it; a safe command runs at once.

#include <gtest/gtest.h>

#include <fstream>

#include "shell_integration/tmux_session.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

using testing::occurrences;

// The canary is on the user's deny list, so it is critical yet harmless.
constexpr const char* k_canary = "echo guard-canary";
constexpr const char* k_canary_output = "guard-canary";

// Lines of the screen that are exactly text (output, not the typed command).
std::size_t output_lines(const std::string& screen, const std::string& text) {
  std::size_t n = 0;
  std::size_t start = 0;
  while (start <= screen.size()) {
    const auto end = screen.find('\n', start);
    std::string line = screen.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line == text) ++n;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return n;
}

class ShellGuard : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir / "home/.config/fish");
    std::filesystem::create_directories(m_dir / "cmdai");
    std::ofstream(m_dir / "cmdai/config.toml") << "[guard]\ndeny = ['^echo guard-canary']\n";
    testing::write_hermetic_shell_files(m_dir.path(), CMDAI_BINARY, " --guard");
  }

  std::vector<std::string> shell_command() const { return testing::hermetic_shell(GetParam(), m_dir.path()); }

  std::map<std::string, std::string> env() const { return testing::hermetic_shell_env(m_dir.path()); }

  testing::TempDir m_dir;
};

TEST_P(ShellGuard, AsksBeforeARiskyCommandAndRunsASafeOneAtOnce) {
  testing::TmuxSession tmux(shell_command(), env());
  ASSERT_TRUE(tmux.started());
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("READY> ") != std::string::npos; }))
      << tmux.screen();

  tmux.type("echo safe-two");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return output_lines(s, "safe-two") == 1; })) << tmux.screen();
  EXPECT_EQ(tmux.screen().find("run it anyway"), std::string::npos) << tmux.screen();

  tmux.type(k_canary);
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("run it anyway? [y/N]") != std::string::npos; }))
      << tmux.screen();
  EXPECT_NE(tmux.screen().find("guard.deny.1"), std::string::npos) << tmux.screen();
  tmux.type("n");
  // Back on the line: bash and fish draw a new prompt, zsh says so below it.
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) {
    return s.find("not run; the command is still on the line") != std::string::npos ||
           s.rfind(std::string("READY> ") + k_canary) > s.find("run it anyway");
  })) << tmux.screen();
  EXPECT_EQ(output_lines(tmux.screen(), k_canary_output), 0u) << tmux.screen();
  const std::size_t asked = occurrences(tmux.screen(), "run it anyway? [y/N]");

  // Still on the line: Enter asks again, and "y" runs it.
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([asked](const std::string& s) { return occurrences(s, "run it anyway? [y/N]") > asked; }))
      << tmux.screen();
  tmux.type("y");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return output_lines(s, k_canary_output) == 1; }))
      << tmux.screen();

  const auto log = testing::run_process({CMDAI_BINARY, "guard", "log", "shell", "--json"},
                                        {{"CMDAI_HOME", (m_dir / "cmdai").string()}});
  EXPECT_EQ(log.exit_code, 0) << log.err;
  EXPECT_EQ(occurrences(log.out, "\"decision\": \"ask\""), 2u) << log.out;
}

INSTANTIATE_TEST_SUITE_P(Shells, ShellGuard, ::testing::Values("bash", "zsh", "fish"));

}  // namespace
}  // namespace cmdai
