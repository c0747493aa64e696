// `cmdai run` / `cmdai -x` end to end: the confirmation matrix without a
// terminal (every risk x safety level x -y), real-terminal runs under tmux
// (y/N, the typed phrase, edit, Ctrl-C), and what lands in history.

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "shell_integration/tmux_session.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

namespace fs = std::filesystem;

class ExecCli : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(m_dir / "home");
    fs::create_directories(m_dir / "work");
    fs::create_directories(m_dir / "cmdai");
  }
  void set_level(const std::string& level) {
    std::ofstream(m_dir / "cmdai/config.toml") << "[safety]\nlevel = \"" << level << "\"\n";
  }
  std::map<std::string, std::string> env() const {
    return {{"CMDAI_HOME", (m_dir / "cmdai").string()}, {"HOME", home()}, {"NO_COLOR", "1"}, {"SHELL", "/bin/sh"}};
  }
  testing::ProcessResult cmdai(std::vector<std::string> args, const std::string& stdin_data = {}) {
    args.insert(args.begin(), {CMDAI_BINARY, "--cwd", work()});
    return testing::run_process(args, env(), stdin_data);
  }
  nlohmann::json history() {
    auto r = testing::run_process({CMDAI_BINARY, "history", "list", "--json"}, env());
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  std::string home() const { return (m_dir / "home").string(); }
  std::string work() const { return (m_dir / "work").string(); }
  testing::TempDir m_dir;
};

// One command per risk level, each with a visible effect when it runs. The
// critical one deletes the test's own HOME (a temporary directory).
struct RiskCase {
  std::string risk;
  std::string command;
  std::string victim;  // exists before; gone once the command ran
};

std::vector<RiskCase> risk_cases(const std::string& home, const std::string& work) {
  return {{"safe", "cat ./victim-safe.log > /dev/null && echo safe-ran", work + "/victim-safe.log"},
          // Not rm: as root (CI) deleting files is rated high; writing one stays moderate.
          {"moderate", "tee ./victim-moderate < /dev/null", work + "/victim-moderate"},
          {"high", "rm -rf ./victim-high", work + "/victim-high"},
          {"critical", "rm -rf " + home, home + "/.profile"}};
}

// confirm.h's table: does it run without a terminal? -y answers y/N only.
bool runs_without_terminal(const std::string& risk, const std::string& level, bool yes) {
  if (risk == "safe") return true;
  if (risk == "moderate") return level == "permissive" || yes;
  if (risk == "high") return level != "strict" && yes;
  return false;  // critical: never without the typed phrase
}

void make_victims(const std::vector<RiskCase>& cases) {
  for (const auto& c : cases) {
    if (c.risk == "high") {
      fs::create_directories(c.victim);
    } else {
      std::ofstream(c.victim) << "x";
    }
  }
}

TEST_F(ExecCli, NonInteractiveMatrixEveryRiskTimesLevelTimesYes) {
  const auto cases = risk_cases(home(), work());
  for (const std::string level : {"strict", "moderate", "permissive"}) {
    set_level(level);
    for (bool yes : {false, true}) {
      for (const auto& c : cases) {
        make_victims(cases);
        std::vector<std::string> args{"run"};
        if (yes) args.push_back("-y");
        args.insert(args.end(), {"--", c.command});
        const auto r = cmdai(args);
        const bool expect_run = runs_without_terminal(c.risk, level, yes);
        SCOPED_TRACE(c.risk + " at " + level + (yes ? " -y" : "") + "\n" + r.out + r.err);
        EXPECT_NE(r.out.find("Risk: " + c.risk), std::string::npos);
        const bool ran = c.risk == "safe"       ? r.out.find("\nsafe-ran") != std::string::npos
                         : c.risk == "moderate" ? fs::file_size(c.victim) == 0  // tee emptied it
                                                : !fs::exists(c.victim);
        EXPECT_EQ(ran, expect_run);
        if (expect_run) {
          EXPECT_EQ(r.exit_code, 0);
        } else {
          EXPECT_EQ(r.exit_code, 4);  // ExitCode::blocked
          const bool by_policy = level == "strict" && c.risk == "critical";
          EXPECT_NE(r.err.find(by_policy ? "cmdai: blocked" : "cmdai: not run"), std::string::npos);
        }
        fs::create_directories(home());
      }
    }
  }
}

// safety.confirmation_required is the set of levels that ask: a listed level
// needs an answer (so it does not run here, without a terminal and without
// -y), a level not listed runs unasked - but critical always asks, and
// permissive never asks for moderate.
TEST_F(ExecCli, ConfirmationRequiredListsExactlyTheLevelsThatAsk) {
  const auto cases = risk_cases(home(), work());
  struct Setting {
    std::string level;
    std::string list;
    std::set<std::string> asks;
  };
  const std::vector<Setting> settings{
      {"moderate", R"(["safe", "critical"])", {"safe", "critical"}},
      {"moderate", R"(["high", "critical"])", {"high", "critical"}},
      {"permissive", R"(["safe", "moderate", "critical"])", {"safe", "critical"}},  // permissive: moderate runs
      {"strict", R"(["critical"])", {"critical"}},
      {"moderate", R"(["high"])", {}},  // refused by the key's validator: the default applies
  };
  for (const auto& setting : settings) {
    std::ofstream(m_dir / "cmdai/config.toml")
        << "[safety]\nlevel = \"" << setting.level << "\"\nconfirmation_required = " << setting.list << "\n";
    const bool refused = setting.asks.empty();
    const std::set<std::string> asks = refused ? std::set<std::string>{"moderate", "high", "critical"} : setting.asks;
    for (const auto& c : cases) {
      make_victims(cases);
      const auto r = cmdai({"run", "--", c.command});
      SCOPED_TRACE(c.risk + " at " + setting.level + " with " + setting.list + "\n" + r.out + r.err);
      const bool ran = c.risk == "safe"       ? r.out.find("\nsafe-ran") != std::string::npos
                       : c.risk == "moderate" ? fs::file_size(c.victim) == 0
                                              : !fs::exists(c.victim);
      EXPECT_EQ(ran, asks.count(c.risk) == 0);
      EXPECT_EQ(r.exit_code, ran ? 0 : 4);
      if (refused) {
        EXPECT_NE(r.err.find("keep 'critical' in the list"), std::string::npos);
      }
      fs::create_directories(home());
    }
  }
}

TEST_F(ExecCli, DryRunNeverRunsAndSaysWhatWouldHappen) {
  const auto cases = risk_cases(home(), work());
  make_victims(cases);
  for (const auto& c : cases) {
    const auto r = cmdai({"run", "-y", "--dry-run", "--", c.command});
    EXPECT_TRUE(fs::exists(c.victim)) << c.risk;
    if (c.risk == "safe") {
      EXPECT_EQ(r.out.find("\nsafe-ran"), std::string::npos);
    }
    EXPECT_NE(r.out.find("Would run: " + c.command), std::string::npos) << r.out;
    EXPECT_EQ(r.exit_code, c.risk == "critical" ? 4 : 0) << c.risk << r.err;
  }
}

TEST_F(ExecCli, ExitStatusOutputSizeAndTimesAreRecorded) {
  const auto r = cmdai({"run", "--", "printf 'hello'; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out.substr(r.out.size() - 5), "hello");
  const auto entries = history();
  ASSERT_EQ(entries.size(), 1u);
  const auto& e = entries[0]["execution_metadata"];
  EXPECT_EQ(e["exit_code"], 3);
  EXPECT_EQ(e["output_size"], 5);
  EXPECT_TRUE(e["execution_time"].is_number());
  EXPECT_TRUE(e["validation_time"].is_number());
  EXPECT_EQ(entries[0]["safety_metadata"]["user_confirmed"], false);
}

TEST_F(ExecCli, GeneratedCommandRunsWithXAndKeepsGenerationFields) {
  const auto r = cmdai({"-x", "--json", "show git status"});
  EXPECT_EQ(r.exit_code, 128) << r.err;  // git outside a repository
  const auto json_start = r.out.rfind("\n{");
  const auto json = nlohmann::json::parse(json_start == std::string::npos ? r.out : r.out.substr(json_start));
  for (const char* key : {"command", "explanation", "risk_level", "backend_used", "id", "validation"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(json["execution"]["ran"], true);
  EXPECT_EQ(json["execution"]["execution_metadata"]["exit_code"], 128);
  const auto entries = history();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["execution_metadata"]["backend_used"], "rules");
  EXPECT_GT(entries[0]["execution_metadata"]["generation_time"].get<double>(), 0.0);
  EXPECT_EQ(entries[0]["execution_metadata"]["exit_code"], 128);
}

TEST_F(ExecCli, StdinReachesTheCommandAndLargeOutputIsCounted) {
  const std::string input(3 * 1024 * 1024, 'a');
  const auto r = cmdai({"run", "--", "wc -c"}, input);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find(std::to_string(input.size())), std::string::npos) << r.out.substr(0, 200);
  const auto big = cmdai({"run", "--", "head -c 20000000 /dev/zero"});
  EXPECT_EQ(big.exit_code, 0);
  EXPECT_EQ(history()[0]["execution_metadata"]["output_size"], 20'000'000);
}

TEST_F(ExecCli, ASignalDeathIsReportedAs128PlusN) {
  const auto r = cmdai({"run", "-y", "--", "kill -TERM $$"});  // moderate: stops a process
  EXPECT_EQ(r.exit_code, 143);
  EXPECT_NE(r.err.find("signal 15"), std::string::npos) << r.err;
  EXPECT_EQ(history()[0]["execution_metadata"]["exit_code"], 143);
}

// Real terminals: cmdai runs in a tmux pane; the pane ends with EXIT=<status>.
class ExecTerminal : public ExecCli {
 protected:
  std::unique_ptr<testing::TmuxSession> start(const std::string& args) {
    // The pane's shell survives Ctrl-C (a handler, not an ignore: cmdai
    // starts with default dispositions) to print cmdai's status.
    const std::string line =
        "trap : INT; " + std::string(CMDAI_BINARY) + " --cwd " + work() + " " + args + "; echo EXIT=$?; read x";
    auto session = std::make_unique<testing::TmuxSession>(std::vector<std::string>{"/bin/sh", "-c", line}, env());
    EXPECT_TRUE(session->started());
    return session;
  }
  static bool shows(testing::TmuxSession& tmux, const std::string& text) {
    return tmux.wait_for([&](const std::string& s) { return s.find(text) != std::string::npos; });
  }
};

TEST_F(ExecTerminal, HighAsksYesNoWithTheWarningAndYesRuns) {
  const auto cases = risk_cases(home(), work());
  make_victims(cases);
  auto tmux = start("run -- 'rm -rf ./victim-high'");
  ASSERT_TRUE(shows(*tmux, "Run it? [y/N")) << tmux->screen();
  EXPECT_NE(tmux->screen().find("Warning: high risk"), std::string::npos);
  tmux->type("y");
  tmux->press("Enter");
  ASSERT_TRUE(shows(*tmux, "EXIT=0")) << tmux->screen();
  EXPECT_FALSE(fs::exists(work() + "/victim-high"));
  EXPECT_EQ(history()[0]["safety_metadata"]["user_confirmed"], true);
}

TEST_F(ExecTerminal, CriticalRefusesYesAndMinusYAndRunsOnlyOnThePhrase) {
  const auto cases = risk_cases(home(), work());
  make_victims(cases);
  auto refused = start("run -y -- 'rm -rf " + home() + "'");
  ASSERT_TRUE(shows(*refused, "Type 'critical' to run it")) << refused->screen();
  refused->type("y");
  refused->press("Enter");
  ASSERT_TRUE(shows(*refused, "needs the word 'critical'")) << refused->screen();
  refused->press("Enter");
  ASSERT_TRUE(shows(*refused, "EXIT=1")) << refused->screen();
  EXPECT_TRUE(fs::exists(home() + "/.profile"));

  auto accepted = start("run -- 'rm -rf " + home() + "'");
  ASSERT_TRUE(shows(*accepted, "Type 'critical' to run it")) << accepted->screen();
  accepted->type("critical");
  accepted->press("Enter");
  ASSERT_TRUE(shows(*accepted, "EXIT=0")) << accepted->screen();
  EXPECT_FALSE(fs::exists(home()));
  fs::create_directories(home());
}

TEST_F(ExecTerminal, EditStartsWithTheCommandAndTheResultIsValidatedAgain) {
  const auto cases = risk_cases(home(), work());
  make_victims(cases);
  auto tmux = start("run -- 'rm -rf ./victim-high'");
  ASSERT_TRUE(shows(*tmux, "Run it? [y/N")) << tmux->screen();
  tmux->type("e");
  tmux->press("Enter");
  ASSERT_TRUE(shows(*tmux, "edit> rm -rf ./victim-high")) << tmux->screen();
  tmux->press("C-u");
  tmux->type("echo edited-and-safe");
  tmux->press("Enter");
  ASSERT_TRUE(shows(*tmux, "Risk: safe")) << tmux->screen();
  tmux->type("y");
  tmux->press("Enter");
  ASSERT_TRUE(shows(*tmux, "EXIT=0")) << tmux->screen();
  EXPECT_NE(tmux->screen().find("\nedited-and-safe"), std::string::npos) << tmux->screen();
  EXPECT_TRUE(fs::exists(work() + "/victim-high"));
  const auto entries = history();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["command"], "echo edited-and-safe");
  EXPECT_EQ(entries[0]["tags"], nlohmann::json::array({"edited"}));
}

TEST_F(ExecTerminal, CtrlCReachesTheChildAndCmdaiReportsItsStatus) {
  // The empty quotes keep the marker out of the command cmdai echoes.
  auto tmux = start("run -- 'trap \"echo child-got-int; exit 9\" INT; echo child-wait\"\"ing; while :; do :; done'");
  ASSERT_TRUE(shows(*tmux, "child-waiting")) << tmux->screen();
  tmux->press("C-c");
  ASSERT_TRUE(shows(*tmux, "EXIT=9")) << tmux->screen();
  EXPECT_NE(tmux->screen().find("child-got-int"), std::string::npos);
  EXPECT_NE(tmux->screen().find("interrupted; the command exited with status 9"), std::string::npos);
  EXPECT_EQ(history()[0]["execution_metadata"]["exit_code"], 9);
}

TEST_F(ExecTerminal, CopyPrintsTheCommandAndRunsNothing) {
  const auto cases = risk_cases(home(), work());
  make_victims(cases);
  auto tmux = start("run -- 'rm ./victim-moderate'");
  ASSERT_TRUE(shows(*tmux, "Run it? [y/N")) << tmux->screen();
  tmux->type("c");
  tmux->press("Enter");
  ASSERT_TRUE(shows(*tmux, "EXIT=0")) << tmux->screen();
  EXPECT_TRUE(fs::exists(work() + "/victim-moderate"));
}

}  // namespace
}  // namespace cmdai
