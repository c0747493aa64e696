// The init scripts: key spelling per shell, and each script parses in its
// real shell (bash -n, zsh -n, fish --no-execute).

#include "cli/shell_init.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai::cli {
namespace {

TEST(KeyBinding, ParsesCtrlAndAltLetters) {
  auto ctrl = parse_key_binding("Ctrl-G");
  ASSERT_TRUE(ctrl);
  EXPECT_EQ(ctrl->modifier, KeyBinding::Modifier::ctrl);
  EXPECT_EQ(ctrl->letter, 'g');
  auto alt = parse_key_binding("alt-k");
  ASSERT_TRUE(alt);
  EXPECT_EQ(alt->modifier, KeyBinding::Modifier::alt);
  const std::vector<std::string> bad{"",
                                     "g",
                                     "ctrl-",
                                     "ctrl-gg",
                                     "ctrl-1",
                                     "shift-g",
                                     "ctrl-\xc3\xa9",
                                     std::string("ctrl-\0", 6),
                                     std::string(100'000, 'x')};
  for (const auto& spec : bad) {
    auto r = parse_key_binding(spec);
    ASSERT_FALSE(r) << spec.substr(0, 20);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  }
}

TEST(KeyBinding, IsSpelledTheWayEachShellBindsIt) {
  const KeyBinding ctrl_g{KeyBinding::Modifier::ctrl, 'g'};
  const KeyBinding alt_k{KeyBinding::Modifier::alt, 'k'};
  EXPECT_EQ(key_sequence(ShellType::bash, ctrl_g), "\\C-g");
  EXPECT_EQ(key_sequence(ShellType::zsh, ctrl_g), "^G");
  EXPECT_EQ(key_sequence(ShellType::fish, ctrl_g), "\\cg");
  EXPECT_EQ(key_sequence(ShellType::bash, alt_k), "\\ek");
  EXPECT_EQ(key_sequence(ShellType::zsh, alt_k), "^[k");
  EXPECT_EQ(key_sequence(ShellType::fish, alt_k), "\\ek");
}

TEST(ShellInitScript, OnlyBashZshAndFish) {
  auto r = shell_init_script({ShellType::powershell, "/usr/bin/cmdai", {}, false});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
}

TEST(ShellInitScript, CaptureHooksOnlyWhenAsked) {
  for (ShellType shell : {ShellType::bash, ShellType::zsh, ShellType::fish}) {
    auto without = shell_init_script({shell, "/usr/bin/cmdai", {}, false});
    auto with = shell_init_script({shell, "/usr/bin/cmdai", {}, true});
    ASSERT_TRUE(without && with);
    EXPECT_EQ(without->find("shell-record"), std::string::npos);
    EXPECT_NE(with->find("shell-record"), std::string::npos);
    EXPECT_NE(with->find("shell-suggest"), std::string::npos);
    EXPECT_NE(with->find("'/usr/bin/cmdai'"), std::string::npos);
  }
}

// Ctrl-R opens the picker only when shell.ctrl_r is on; every shell gets
// its own session id, exported for the commands it runs.
TEST(ShellInitScript, CtrlRPickerAndSessionWhenAsked) {
  for (ShellType shell : {ShellType::bash, ShellType::zsh, ShellType::fish}) {
    ShellInitOptions options{shell, "/usr/bin/cmdai", {}, false};
    auto without = shell_init_script(options);
    options.ctrl_r = true;
    options.session_id = "6b1f3c2e-0d4a-4b8e-9f00-1a2b3c4d5e6f";
    auto with = shell_init_script(options);
    ASSERT_TRUE(without && with);
    EXPECT_EQ(without->find("pick --"), std::string::npos);
    EXPECT_EQ(without->find("CMDAI_SESSION_ID"), std::string::npos);
    EXPECT_NE(with->find("__cmdai pick -- "), std::string::npos);
    EXPECT_NE(with->find(shell == ShellType::fish ? "bind \\cr __cmdai_pick" : "__cmdai_pick"), std::string::npos);
    EXPECT_NE(with->find(shell == ShellType::fish ? "set -gx CMDAI_SESSION_ID 6b1f3c2e-"
                                                  : "export CMDAI_SESSION_ID=6b1f3c2e-"),
              std::string::npos)
        << *with;
  }
}

// The embedding agent is kept loaded only when asked (a local model and an
// idle time above 0): before each prompt the hook writes the activity file
// when the agent's socket is there, and otherwise starts the agent through
// a subshell or disown, so the shell never waits for it and shows no job
// notice. Paths are quoted for the shell.
TEST(ShellInitScript, EmbeddingAgentIsKeptLoadedWhenAsked) {
  const ShellInitOptions::EmbedAgent agent{"/run/user/1000/it's/cmdai-embed-1.sock",
                                           "/run/user/1000/it's/cmdai-embed-1.active", 120};
  for (ShellType shell : {ShellType::bash, ShellType::zsh, ShellType::fish}) {
    ShellInitOptions options{shell, "/usr/bin/cmdai", {}, false};
    auto without = shell_init_script(options);
    options.embed_agent = agent;
    auto with = shell_init_script(options);
    ASSERT_TRUE(without && with);
    EXPECT_EQ(without->find("embed-agent"), std::string::npos);
    EXPECT_EQ(without->find("__cmdai_agent_warm"), std::string::npos);
    if (shell == ShellType::fish) {
      EXPECT_NE(with->find("function __cmdai_agent_warm --on-event fish_prompt\n"
                           "    if test -S '/run/user/1000/it\\'s/cmdai-embed-1.sock'\n"),
                std::string::npos)
          << *with;
      EXPECT_NE(with->find("true >'/run/user/1000/it\\'s/cmdai-embed-1.active'"), std::string::npos) << *with;
      EXPECT_NE(with->find("command '/usr/bin/cmdai' embed-agent start </dev/null >/dev/null 2>&1 &\n"
                           "        disown"),
                std::string::npos)
          << *with;
      EXPECT_NE(with->find("(command date +%s) + 120)"), std::string::npos) << *with;
    } else {
      EXPECT_NE(with->find("  if [[ -S '/run/user/1000/it'\\''s/cmdai-embed-1.sock' ]]; then\n"
                           "    { : >|'/run/user/1000/it'\\''s/cmdai-embed-1.active'; } 2>/dev/null\n"),
                std::string::npos)
          << *with;
      EXPECT_NE(with->find("(( SECONDS - ${__cmdai_agent_at:--120} >= 120 ))"), std::string::npos) << *with;
      EXPECT_NE(with->find("    ( __cmdai embed-agent start </dev/null >/dev/null 2>&1 & )\n"), std::string::npos)
          << *with;
      EXPECT_NE(with->find(shell == ShellType::bash ? "PROMPT_COMMAND=\"__cmdai_agent_warm"
                                                    : "precmd_functions=(${precmd_functions:#__cmdai_agent_warm} "
                                                      "__cmdai_agent_warm)"),
                std::string::npos)
          << *with;
    }
  }
}

struct SyntaxCheck {
  ShellType shell;
  std::vector<std::string> argv;  // the script path is appended
};

// The zsh widget's notice file: a fresh, unguessable name from mktemp (mode
// 0600), never a name another user could create first as a symlink.
TEST(ShellInitScript, ZshNoticeFileIsMadeByMktemp) {
  auto script = shell_init_script({ShellType::zsh, "/usr/bin/cmdai", {}, false});
  ASSERT_TRUE(script);
  EXPECT_NE(script->find("notice=$(command mktemp \"${TMPDIR:-/tmp}/cmdai-notice.XXXXXXXXXX\")"), std::string::npos)
      << *script;
  EXPECT_EQ(script->find(".$$"), std::string::npos) << *script;
}

TEST(ShellInitScript, ParsesInTheRealShell) {
  testing::TempDir dir;
  const std::vector<SyntaxCheck> checks{{ShellType::bash, {"/bin/bash", "-n"}},
                                        {ShellType::zsh, {"/usr/bin/zsh", "-n"}},
                                        {ShellType::fish, {"/usr/bin/fish", "--no-execute"}}};
  for (const auto& check : checks) {
    for (bool capture : {false, true}) {
      ShellInitOptions options{check.shell, "/opt/it's here/cmdai", {KeyBinding::Modifier::alt, 'j'}, capture};
      options.ctrl_r = capture;
      if (capture) options.embed_agent = ShellInitOptions::EmbedAgent{"/run/it's/a.sock", "/run/it's/a.active", 300};
      options.session_id = "6b1f3c2e-0d4a-4b8e-9f00-1a2b3c4d5e6f";
      auto script = shell_init_script(options);
      ASSERT_TRUE(script);
      const auto file = dir / ("init." + std::string(to_string(check.shell)));
      std::ofstream(file) << *script;
      auto argv = check.argv;
      argv.push_back(file.string());
      const auto r = testing::run_process(argv);
      EXPECT_EQ(r.exit_code, 0) << to_string(check.shell) << "\n" << r.err << "\n" << *script;
    }
  }
}

}  // namespace
}  // namespace cmdai::cli
