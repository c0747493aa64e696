// Requests from a pipe and grep-like exit statuses, through the built binary.

#include <gtest/gtest.h>

#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class PipesE2E : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args, const std::string& stdin_data = {}) {
    args.insert(args.begin(), CMDAI_BINARY);
    return testing::run_process(args, {{"CMDAI_HOME", m_home.path().string()}, {"NO_COLOR", "1"}}, stdin_data);
  }
  testing::TempDir m_home;
};

TEST_F(PipesE2E, RequestOnStdinWithoutArgumentIsAnswered) {
  auto r = cmdai({"--no-stream"}, "show git status\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("git status\n", 0), 0u) << r.out;
}

TEST_F(PipesE2E, DashReadsTheRequestFromStdin) {
  auto r = cmdai({"--json", "-"}, "show git status");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"command\": \"git status\""), std::string::npos) << r.out;
}

TEST_F(PipesE2E, EmptyStdinIsAUsageErrorNotHelp) {
  auto r = cmdai({"-"}, "  \n\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no request given"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("Usage:"), std::string::npos) << r.out;
}

TEST_F(PipesE2E, SearchAndHistoryListWithoutHitExitOneLikeGrep) {
  EXPECT_EQ(cmdai({"history", "list"}).exit_code, 1);
  EXPECT_EQ(cmdai({"search", "anything"}).exit_code, 1);
  ASSERT_EQ(cmdai({"--no-stream", "show git status"}).exit_code, 0);
  EXPECT_EQ(cmdai({"history", "list"}).exit_code, 0);
  EXPECT_EQ(cmdai({"search", "git"}).exit_code, 0);
  auto none = cmdai({"search", "--mode", "lexical", "zzqqxx"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no matching"), std::string::npos) << none.err;
}

TEST_F(PipesE2E, HelpListsTheExitStatuses) {
  auto help = cmdai({"--help"});
  ASSERT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("no hit (search, history list"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("130 interrupted"), std::string::npos);
}

}  // namespace
}  // namespace cmdai
