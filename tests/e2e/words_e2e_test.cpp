// The command line as a person types it: requests that start with a
// subcommand's word, help per subcommand, --config FILE, colour, verbosity,
// dry-run words and the completion scripts, through the built binary.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class WordsE2E : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    env.emplace("NO_COLOR", "1");
    return testing::run_cmdai(m_home.path().string(), std::move(args), std::move(env));
  }
  void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }
  testing::TempDir m_home;
};

TEST_F(WordsE2E, BareWordsAfterRunOrCheckAreARequest) {
  auto check = cmdai({"check", "the", "disk", "space", "--no-stream"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("df"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("backend: rules"), std::string::npos) << check.out;
  auto run = cmdai({"run", "the", "tests", "--no-stream"});
  EXPECT_EQ(run.err.find("the: "), std::string::npos) << run.err;  // no program called `the` ran
  EXPECT_EQ(run.err.find("did you mean"), std::string::npos) << run.err;
  auto listed = cmdai({"history", "list"});
  EXPECT_EQ(listed.out.find("the disk space"), std::string::npos);  // history lists commands
  auto quoted = cmdai({"check", "rm -rf /"});
  EXPECT_EQ(quoted.exit_code, 13) << quoted.out;
  auto dashed = cmdai({"check", "--", "ls", "-la"});
  EXPECT_EQ(dashed.exit_code, 0) << dashed.err;
}

TEST_F(WordsE2E, AMistypedRequestIsNeverDidYouMean) {
  auto r = cmdai({"serch", "for", "big", "files", "--no-stream"});
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  auto typo = cmdai({"serch"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean 'search'?"), std::string::npos) << typo.err;
}

TEST_F(WordsE2E, HelpPerSubcommandWithItsOwnUsageFlagsAndExamples) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"help", "search"}, {"search", "--help"}}) {
    auto r = cmdai(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("Usage: cmdai search", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("--since WHEN"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("--jsonl"), std::string::npos) << r.out;  // check's flag is not search's
  }
  auto run = cmdai({"help", "run"});
  EXPECT_NE(run.out.find("--dry-run"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Several bare words"), std::string::npos) << run.out;
  auto global = cmdai({"--help"});
  EXPECT_NE(global.out.find("cmdai run the tests asks for a command"), std::string::npos) << global.out;
  auto unknown = cmdai({"help", "serch"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("did you mean 'cmdai help search'?"), std::string::npos) << unknown.err;
}

TEST_F(WordsE2E, ConfigFileIsHonouredByEverySubcommand) {
  const auto file = m_home / "other.toml";
  write(file, "[ui]\nverbosity = \"quiet\"\n[history]\nenabled = false\n");
  auto quiet = cmdai({"--config", file.string(), "--no-stream", "show git status"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.out, "git status\n");
  auto explained = cmdai({"--config", file.string(), "explain", "ls -la"});
  EXPECT_EQ(explained.out.find("Risk:"), std::string::npos) << explained.out;  // quiet: safe needs no risk line
  auto path = cmdai({"--config", file.string(), "config", "path"});
  EXPECT_EQ(path.out, file.string() + "\n");
  auto listed = cmdai({"history", "list"});
  EXPECT_EQ(listed.exit_code, 1) << listed.out;  // history off in that file: nothing was stored
  auto override_key = cmdai({"--config", "ui.verbosity=quiet", "--no-stream", "show git status"});
  EXPECT_EQ(override_key.out, "git status\n");
}

TEST_F(WordsE2E, AConfigPathThatIsADirectoryIsWarnedAbout) {
  std::filesystem::create_directory(m_home / "dir.toml");
  auto r = cmdai({"--config", (m_home / "dir.toml").string(), "--no-stream", "show git status"});
  EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dir.toml"), std::string::npos) << r.err;
}

TEST_F(WordsE2E, ColourByFlagConfigurationAndNoColor) {
  EXPECT_EQ(cmdai({"--no-stream", "show git status"}).out.find("\033["), std::string::npos);
  EXPECT_NE(cmdai({"--color", "always", "--no-stream", "show git status"}).out.find("\033[1m"), std::string::npos);
  auto bad = cmdai({"--color", "sometimes", "x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("auto, always or never"), std::string::npos) << bad.err;
}

TEST_F(WordsE2E, VerbosityDecidesWhatIsPrinted) {
  auto quiet = cmdai({"-q", "--no-stream", "show git status"});
  EXPECT_EQ(quiet.out, "git status\n");
  auto risky = cmdai({"-q", "--no-stream", "delete all log files in this folder"});
  EXPECT_NE(risky.out.find("Risk: "), std::string::npos) << risky.out;  // not safe: the risk stays
  auto normal = cmdai({"--no-stream", "show git status"});
  EXPECT_NE(normal.out.find("backend: rules"), std::string::npos);
  EXPECT_EQ(normal.out.find("generated in"), std::string::npos);
  auto verbose = cmdai({"-v", "--no-stream", "show git status"});
  EXPECT_NE(verbose.out.find("generated in"), std::string::npos) << verbose.out;
  EXPECT_NE(verbose.err.find("selected"), std::string::npos) << verbose.err;
  write(m_home / "config.toml", "[ui]\nverbosity = \"verbose\"\n");
  EXPECT_NE(cmdai({"--no-stream", "show git status"}).out.find("generated in"), std::string::npos);
}

TEST_F(WordsE2E, DryRunSpeaksPlainly) {
  auto r = cmdai({"run", "--dry-run", "rm -rf build"});
  EXPECT_NE(r.out.find("Would run: rm -rf build"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("it would "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nothing was run"), std::string::npos) << r.out;
  for (const char* name : {"yes_no", "run_unasked", "blocked_no_terminal", "typed_phrase", "Confirmation:"}) {
    EXPECT_EQ(r.out.find(name), std::string::npos) << r.out;
  }
}

TEST_F(WordsE2E, BlankCommandsAndAMissingShellAreClearErrors) {
  auto blank = cmdai({"run", "-y", "--", "   "});
  EXPECT_EQ(blank.exit_code, 2) << blank.out << blank.err;
  EXPECT_NE(blank.err.find("only blanks"), std::string::npos) << blank.err;
  auto no_shell = cmdai({"run", "-y", "--", "true"}, {{"SHELL", "/nonexistent"}});
  EXPECT_EQ(no_shell.err.find("Permission denied"), std::string::npos) << no_shell.err;
}

// The installed scripts ask `cmdai complete-words` with what was typed.
TEST_F(WordsE2E, BashCompletionOffersSubcommandsFlagsAndValues) {
  const auto bin = m_home / "bin";
  std::filesystem::create_directory(bin);
  std::filesystem::create_symlink(CMDAI_BINARY, bin / "cmdai");
  auto script = cmdai({"completions", "bash"});
  write(m_home / "cmdai.bash", script.out);
  write(m_home / "config.toml",
        "[backend.instances.gpu-box]\ntype = \"ollama\"\nendpoint = \"http://10.0.0.2:11434\"\n");
  const std::string probe = "source " + (m_home / "cmdai.bash").string() +
                            "; complete() { _cmdai; printf '%s\\n' \"${COMPREPLY[@]}\"; echo --; };"
                            "COMP_WORDS=(cmdai hi); COMP_CWORD=1; complete;"
                            "COMP_WORDS=(cmdai --backend g); COMP_CWORD=2; complete;"
                            "COMP_WORDS=(cmdai config set ui.v); COMP_CWORD=3; complete;"
                            "COMP_WORDS=(cmdai init ''); COMP_CWORD=2; complete";
  const std::string path = bin.string() + ":" + std::getenv("PATH");
  auto r = testing::run_process({"/bin/bash", "--norc", "-c", probe},
                                {{"CMDAI_HOME", m_home.path().string()}, {"PATH", path}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "history\n--\ngpu-box\n--\nui.verbosity\n--\nbash\nzsh\nfish\n--\n");
}

}  // namespace
}  // namespace cmdai
