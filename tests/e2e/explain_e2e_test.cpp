// cmdai explain takes a command apart from the man pages installed here
// (and cmdai's own table without them), then rates it.

#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class ExplainE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/share/man/man1/ls.1.gz") && !std::filesystem::exists("/usr/share/man/man1/ls.1"))
      GTEST_SKIP() << "no man page for ls on this machine (install man-db and coreutils' pages)";
  }
  testing::ProcessResult cmdai(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    env.emplace("NO_COLOR", "1");
    env.emplace("MANPATH", "\x01unset");
    return testing::run_cmdai(m_home.path().string(), std::move(args), std::move(env));
  }
  testing::TempDir m_home;
};

TEST_F(ExplainE2E, EachPartFromTheManPagesThenTheRisk) {
  auto r = cmdai({"explain", "ls -la /tmp | wc -l > count.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  ls - list directory contents"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    -l: use a long listing format (man page)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    -a: do not ignore entries starting with ."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    /tmp: argument"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  then wc"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("> count.txt: writes standard output to count.txt (replacing it)"), std::string::npos);
  EXPECT_LT(r.out.find("then wc"), r.out.find("Risk:")) << r.out;
  EXPECT_TRUE(std::filesystem::exists(m_home / "man" / "ls.json"));  // parsed once, then cached
  auto again = cmdai({"explain", "ls -la /tmp | wc -l > count.txt"});
  EXPECT_EQ(again.out, r.out);
}

TEST_F(ExplainE2E, JsonNamesWhereEachFlagWasExplained) {
  auto r = cmdai({"explain", "--json", "--", "tar -xzf a.tgz -C out"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  const auto& tar = json["parts"][0];
  EXPECT_EQ(tar["program"], "tar");
  bool directory = false;
  for (const auto& flag : tar["flags"]) {
    EXPECT_EQ(flag["source"], "man page") << flag;
    if (flag["flag"] == "-C") directory = flag["value"] == "out";
    if (flag["flag"] == "-f") {
      EXPECT_EQ(flag["value"], "a.tgz");  // the last of -xzf takes the next word
    }
  }
  EXPECT_TRUE(directory) << tar;
  EXPECT_TRUE(json.contains("risk_level"));
  EXPECT_TRUE(tar["arguments"].empty()) << tar;
}

TEST_F(ExplainE2E, WithoutManPagesTheBuiltInTable) {
  auto r = cmdai({"explain", "--json", "--", "rm -rf build"}, {{"MANPATH", "/nonexistent"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["parts"][0]["flags"][0]["source"], "cmdai") << json;
  EXPECT_EQ(json["parts"][0]["summary"], "remove files or directories");
}

}  // namespace
}  // namespace cmdai
