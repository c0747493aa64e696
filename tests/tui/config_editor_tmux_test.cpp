// The configuration editor on a real terminal (tmux): edit, see inline
// errors, save, quit-with-unsaved, resize, NO_COLOR, and no terminal at all.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/process.h"
#include "support/read_file.h"
#include "support/temp_dir.h"
#include "tui/tmux_session.h"

namespace cmdai {
namespace {

class EditorUnderTmux : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::TmuxSession::available()) GTEST_SKIP() << "tmux is not installed";
  }
  std::string editor_command(const std::string& extra_env = "NO_COLOR=1") const {
    return "env CMDAI_HOME=" + m_home.path().string() + " " + extra_env + " " + CMDAI_BINARY + " config edit";
  }
  testing::ProcessResult cmdai(std::vector<std::string> args) {
    args.insert(args.begin(), CMDAI_BINARY);
    return testing::run_process(args, {{"CMDAI_HOME", m_home.path().string()}, {"NO_COLOR", "1"}});
  }
  // F2, then Esc: the file is saved at its path and the editor exits 0.
  ::testing::AssertionResult save_and_quit(testing::TmuxSession& tmux) {
    tmux.keys({"F2"});
    if (!tmux.wait_for("saved " + (m_home / "config.toml").string())) {
      return ::testing::AssertionFailure() << "not saved:\n" << tmux.screen();
    }
    tmux.keys({"Escape"});
    if (!tmux.wait_for("[exit 0]")) return ::testing::AssertionFailure() << "did not exit 0:\n" << tmux.screen();
    return ::testing::AssertionSuccess();
  }
  testing::TempDir m_home;
};

TEST_F(EditorUnderTmux, EditValidateInlineSaveThenFileAndShowAgree) {
  testing::TmuxSession tmux(editor_command());
  ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
  EXPECT_NE(tmux.screen().find("Backend Configuration"), std::string::npos);

  // An invalid endpoint: the error shows under the field while typing.
  tmux.keys({"Tab", "Tab", "Tab", "Tab", "Tab"});
  tmux.type("localhost:11434");
  ASSERT_TRUE(tmux.wait_for("error: must be an http:// or https:// URL")) << tmux.screen();
  tmux.keys({"F2"});
  ASSERT_TRUE(tmux.wait_for("not saved: fix the 1 field(s)")) << tmux.screen();
  tmux.keys({"C-u"});
  tmux.type("http://127.0.0.1:11434");
  ASSERT_TRUE(tmux.wait_gone("error: must be")) << tmux.screen();

  // A retention value, then the safety level.
  tmux.keys({"NPage"});
  ASSERT_TRUE(tmux.wait_for("History Settings")) << tmux.screen();
  tmux.keys({"Tab", "Tab"});
  tmux.type("0");
  ASSERT_TRUE(tmux.wait_for("error: must be greater than 0")) << tmux.screen();
  tmux.keys({"BSpace"});
  tmux.type("30");
  ASSERT_TRUE(tmux.wait_gone("error: must be greater")) << tmux.screen();
  tmux.keys({"NPage"});
  ASSERT_TRUE(tmux.wait_for("Safety Configuration")) << tmux.screen();
  tmux.keys({"Left"});
  ASSERT_TRUE(tmux.wait_for("< strict >")) << tmux.screen();

  ASSERT_TRUE(save_and_quit(tmux));

  const std::string toml = testing::read_file(m_home / "config.toml");
  EXPECT_NE(toml.find("level = 'strict'"), std::string::npos) << toml;
  EXPECT_NE(toml.find("max_age_days = 30"), std::string::npos) << toml;
  EXPECT_NE(toml.find("endpoint = 'http://127.0.0.1:11434'"), std::string::npos) << toml;
  EXPECT_EQ(toml.find("streaming"), std::string::npos) << "only changed keys are written: " << toml;

  auto show = cmdai({"config", "show"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_TRUE(show.err.empty()) << show.err;
  for (const char* line : {"safety.level = strict", "history.max_age_days = 30",
                           "backend.instances.ollama.endpoint = http://127.0.0.1:11434"}) {
    const auto at = show.out.find(line);
    ASSERT_NE(at, std::string::npos) << line << "\n" << show.out;
    EXPECT_NE(show.out.find("(file " + (m_home / "config.toml").string() + ":", at), std::string::npos);
  }
  auto history = cmdai({"config", "history"});
  EXPECT_NE(history.out.find("safety.level: moderate -> strict  (config edit)"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("history.max_age_days:  -> 30  (config edit)"), std::string::npos) << history.out;
}

// The box rates with the validator the edited configuration builds: its
// custom patterns and its safety level, as cmdai would when generating.
TEST_F(EditorUnderTmux, TestACommandUsesTheEditedPatternsAndLevel) {
  testing::TmuxSession tmux(editor_command());
  ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
  tmux.keys({"NPage", "NPage"});
  ASSERT_TRUE(tmux.wait_for("Safety Configuration")) << tmux.screen();
  tmux.keys({"Tab", "Tab", "Tab"});
  tmux.type("git status");
  ASSERT_TRUE(tmux.wait_for("validator: safe; moderate: runs without asking")) << tmux.screen();
  tmux.keys({"Up"});
  tmux.type("^git status");
  tmux.keys({"Down"});
  ASSERT_TRUE(tmux.wait_for("validator: high (custom.1); moderate: warns, asks y/N")) << tmux.screen();
  tmux.keys({"Up", "Up", "Up", "Left"});
  ASSERT_TRUE(tmux.wait_for("validator: high (custom.1); strict: asks for the typed phrase")) << tmux.screen();
  tmux.keys({"Escape", "d"});
  ASSERT_TRUE(tmux.wait_for("[exit 0]")) << tmux.screen();
}

// Another process changes the file while the editor is open: the editor
// shows the new values, re-rates the test box, and keeps its own edits.
TEST_F(EditorUnderTmux, ChangesSavedElsewhereAppearWhileEditing) {
  testing::TmuxSession tmux(editor_command());
  ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
  tmux.keys({"PPage"});
  ASSERT_TRUE(tmux.wait_for("UI Preferences")) << tmux.screen();
  tmux.keys({"Space"});  // streaming off, edited here
  ASSERT_TRUE(tmux.wait_for("< false >")) << tmux.screen();
  tmux.keys({"PPage"});
  ASSERT_TRUE(tmux.wait_for("Safety Configuration")) << tmux.screen();
  tmux.keys({"Tab", "Tab", "Tab"});
  tmux.type("rm -rf /");
  ASSERT_TRUE(tmux.wait_for("validator: critical; moderate: asks for the typed phrase")) << tmux.screen();

  ASSERT_EQ(cmdai({"config", "set", "safety.level", "strict"}).exit_code, 0);
  ASSERT_TRUE(tmux.wait_for("config.toml changed elsewhere: safety.level = strict")) << tmux.screen();
  EXPECT_NE(tmux.screen().find("< strict >"), std::string::npos) << tmux.screen();
  ASSERT_TRUE(tmux.wait_for("validator: critical; strict: blocked")) << tmux.screen();

  ASSERT_TRUE(save_and_quit(tmux));
  const std::string toml = testing::read_file(m_home / "config.toml");
  EXPECT_NE(toml.find("level = 'strict'"), std::string::npos) << toml;
  EXPECT_NE(toml.find("streaming = false"), std::string::npos) << toml;
}

// Text fields take any script; Left and Backspace move over whole
// characters, however many bytes they are. LANG=C: the editor still works
// in UTF-8, as the TOML file is.
TEST_F(EditorUnderTmux, TextFieldsTakeUtf8WithCursorAndBackspaceOverWholeCharacters) {
  testing::TmuxSession tmux(editor_command("NO_COLOR=1 LANG=C LC_ALL=C"));
  ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
  tmux.keys({"Tab", "Tab", "Tab", "Tab", "Tab", "Tab"});  // the model field
  tmux.type("mod\u00e8le\u65e5\u672c");
  ASSERT_TRUE(tmux.wait_for("mod\u00e8le\u65e5\u672c")) << tmux.screen();
  tmux.keys({"Left", "BSpace"});  // removes the whole of the first wide character
  ASSERT_TRUE(tmux.wait_for("mod\u00e8le\u672c\n")) << tmux.screen();
  tmux.keys({"End", "BSpace", "BSpace"});
  tmux.type("_\u00fc");
  ASSERT_TRUE(tmux.wait_for("mod\u00e8l_\u00fc\n")) << tmux.screen();
  ASSERT_TRUE(save_and_quit(tmux));
  const std::string toml = testing::read_file(m_home / "config.toml");
  EXPECT_NE(toml.find("model = 'mod\u00e8l_\u00fc'"), std::string::npos) << toml;
  auto got = cmdai({"config", "get", "backend.instances.ollama.model"});
  EXPECT_EQ(got.out, "mod\u00e8l_\u00fc\n") << got.err;
}

// A custom-named instance: added, filled in with inline checks, saved,
// then removed again in a second session.
TEST_F(EditorUnderTmux, AddsAndRemovesACustomNamedInstance) {
  {
    testing::TmuxSession tmux(editor_command());
    ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
    tmux.keys({"NPage", "Up"});  // from the first History row up to the last Backend row
    ASSERT_TRUE(tmux.wait_for("add instance")) << tmux.screen();
    tmux.type("gpu box");
    ASSERT_TRUE(tmux.wait_for("error: use letters, digits, '-' and '_' in instance names")) << tmux.screen();
    tmux.keys({"C-u"});
    tmux.type("gpu_box");
    ASSERT_TRUE(tmux.wait_gone("error: use letters")) << tmux.screen();
    tmux.keys({"Enter"});
    ASSERT_TRUE(tmux.wait_for("added instance gpu_box")) << tmux.screen();
    // The focus is on the new instance's type; its selector row has scrolled above.
    ASSERT_TRUE(tmux.wait_for("< openai >")) << tmux.screen();
    tmux.keys({"Right", "Right"});  // openai -> vllm -> mlx
    ASSERT_TRUE(tmux.wait_for("< mlx >")) << tmux.screen();
    tmux.keys({"Left", "Tab"});  // back to vllm
    tmux.type("10.0.0.5:8000");
    ASSERT_TRUE(tmux.wait_for("error: must be an http:// or https:// URL")) << tmux.screen();
    tmux.keys({"Home"});
    tmux.type("http://");
    ASSERT_TRUE(tmux.wait_gone("error: must be")) << tmux.screen();
    tmux.keys({"Tab"});
    tmux.type("qwen2.5-coder");
    tmux.keys({"Tab", "C-u"});
    tmux.type("0");
    ASSERT_TRUE(tmux.wait_for("error: ")) << tmux.screen();
    tmux.keys({"BSpace"});
    tmux.type("5000");
    tmux.keys({"Tab", "C-u"});
    tmux.type("11");
    ASSERT_TRUE(tmux.wait_for("error: ")) << tmux.screen();
    tmux.keys({"BSpace"});
    tmux.keys({"Tab", "Tab", "Right", "Right"});  // local: (not set) -> true -> false
    ASSERT_TRUE(tmux.wait_for("< false >")) << tmux.screen();
    ASSERT_TRUE(save_and_quit(tmux));
  }
  const std::string toml = testing::read_file(m_home / "config.toml");
  for (const char* line : {"[backend.instances.gpu_box]", "type = 'vllm'", "endpoint = 'http://10.0.0.5:8000'",
                           "model = 'qwen2.5-coder'", "timeout_ms = 5000", "local = false"}) {
    EXPECT_NE(toml.find(line), std::string::npos) << line << "\n" << toml;
  }
  auto show = cmdai({"config", "show"});
  EXPECT_TRUE(show.err.empty()) << show.err;
  EXPECT_NE(show.out.find("backend.instances.gpu_box.type = vllm"), std::string::npos) << show.out;
  EXPECT_EQ(toml.find("retries"), std::string::npos) << "1 was typed back: the default, not written";

  {
    testing::TmuxSession tmux(editor_command());
    ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
    tmux.keys({"Tab", "Tab", "Tab"});
    ASSERT_TRUE(tmux.wait_for("< gpu_box >")) << tmux.screen();
    tmux.keys({"DC"});
    ASSERT_TRUE(tmux.wait_for("removed instance gpu_box")) << tmux.screen();
    ASSERT_TRUE(save_and_quit(tmux));
  }
  EXPECT_EQ(testing::read_file(m_home / "config.toml").find("gpu_box"), std::string::npos)
      << testing::read_file(m_home / "config.toml");
}

TEST_F(EditorUnderTmux, QuitWithUnsavedChangesAsksAndCancelKeepsEditing) {
  testing::TmuxSession tmux(editor_command());
  ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
  tmux.keys({"Right"});
  ASSERT_TRUE(tmux.wait_for("[unsaved changes]")) << tmux.screen();
  tmux.keys({"q"});
  ASSERT_TRUE(tmux.wait_for("There are unsaved changes.")) << tmux.screen();
  tmux.keys({"c"});
  ASSERT_TRUE(tmux.wait_gone("There are unsaved changes.")) << tmux.screen();
  EXPECT_NE(tmux.screen().find("preferred backend"), std::string::npos);
  tmux.keys({"Escape"});
  ASSERT_TRUE(tmux.wait_for("There are unsaved changes.")) << tmux.screen();
  tmux.keys({"d"});
  ASSERT_TRUE(tmux.wait_for("[exit 0]")) << tmux.screen();
  EXPECT_FALSE(std::filesystem::exists(m_home / "config.toml"));
}

TEST_F(EditorUnderTmux, SaveAndQuitFromTheDialogWritesTheFile) {
  testing::TmuxSession tmux(editor_command());
  ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
  tmux.keys({"PPage"});
  ASSERT_TRUE(tmux.wait_for("UI Preferences")) << tmux.screen();
  tmux.keys({"Space"});
  ASSERT_TRUE(tmux.wait_for("< false >")) << tmux.screen();
  tmux.keys({"Escape"});
  ASSERT_TRUE(tmux.wait_for("There are unsaved changes.")) << tmux.screen();
  tmux.keys({"Enter"});  // the first choice: Save
  ASSERT_TRUE(tmux.wait_for("[exit 0]")) << tmux.screen();
  EXPECT_NE(testing::read_file(m_home / "config.toml").find("streaming = false"), std::string::npos);
}

TEST_F(EditorUnderTmux, FollowsResizesAndAsksForAtLeast80x24) {
  testing::TmuxSession tmux(editor_command());
  ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
  tmux.resize(60, 20);
  ASSERT_TRUE(tmux.wait_for("needs at least 80x24 (now 60x20)")) << tmux.screen();
  tmux.resize(100, 30);
  ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
  EXPECT_EQ(tmux.screen().find("needs at least"), std::string::npos);
  tmux.keys({"Escape"});
  ASSERT_TRUE(tmux.wait_for("[exit 0]")) << tmux.screen();
}

TEST_F(EditorUnderTmux, ColoursErrorsUnlessNoColorIsSet) {
  for (const bool no_color : {false, true}) {
    SCOPED_TRACE(no_color ? "NO_COLOR=1" : "colour");
    testing::TmuxSession tmux(editor_command(no_color ? "NO_COLOR=1 TERM=tmux-256color" : "TERM=tmux-256color"));
    ASSERT_TRUE(tmux.wait_for("preferred backend")) << tmux.screen();
    tmux.keys({"Tab"});
    tmux.type("nope");
    ASSERT_TRUE(tmux.wait_for("error: fallback chain names unknown backend")) << tmux.screen();
    const std::string escapes = tmux.screen_with_escapes();
    const bool red = escapes.find("\x1b[31m") != std::string::npos;
    EXPECT_EQ(red, !no_color) << escapes;
    tmux.keys({"Escape", "d"});
    ASSERT_TRUE(tmux.wait_for("[exit 0]")) << tmux.screen();
  }
}

TEST_F(EditorUnderTmux, BrokenFileIsReportedBeforeTheScreenIsTaken) {
  std::ofstream(m_home / "config.toml") << "[ui\n";
  testing::TmuxSession tmux(editor_command());
  ASSERT_TRUE(tmux.wait_for("[exit 1]")) << tmux.screen();
  EXPECT_NE(tmux.screen().find("config.toml:1:"), std::string::npos) << tmux.screen();
  EXPECT_NE(tmux.screen().find("cmdai config reset"), std::string::npos) << tmux.screen();
  EXPECT_EQ(testing::read_file(m_home / "config.toml"), "[ui\n");
}

TEST_F(EditorUnderTmux, RefusesPolitelyWithoutATerminal) {
  auto r = cmdai({"config", "edit"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("the configuration editor needs a terminal"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cmdai config set KEY VALUE"), std::string::npos) << r.err;
  auto alias = cmdai({"--configure"});
  EXPECT_EQ(alias.exit_code, 3);
}

}  // namespace
}  // namespace cmdai
