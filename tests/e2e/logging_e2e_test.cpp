// The log file: stage durations at debug level, and never a secret.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/process.h"
#include "support/read_file.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

TEST(LoggingE2E, DebugLogHasStageDurationsAndNoSecrets) {
  testing::TempDir home;
  const std::string secret = "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";
  const std::string request = "show git status with key " + secret;
  auto r = testing::run_process({CMDAI_BINARY, "-vvv", request},
                                {{"CMDAI_HOME", home.path().string()}, {"OPENAI_API_KEY", secret}});
  const std::string log = testing::read_file(home / "cmdai.log");
  EXPECT_NE(log.find("stage=generation duration_ms="), std::string::npos) << log;
  EXPECT_NE(log.find("stage=validation duration_ms="), std::string::npos) << log;
  EXPECT_EQ(log.find(secret), std::string::npos) << "a secret reached the log";
  EXPECT_EQ(log.find("git status with key"), std::string::npos) << "the prompt reached the log";
  (void)r;
}

TEST(LoggingE2E, DefaultVerbosityWritesNoLogForASuccessfulRun) {
  testing::TempDir home;
  auto r = testing::run_process({CMDAI_BINARY, "show git status"}, {{"CMDAI_HOME", home.path().string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(home / "cmdai.log"));
}

}  // namespace
}  // namespace cmdai
