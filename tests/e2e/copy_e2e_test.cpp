// --copy without a terminal: the first clipboard tool on PATH gets the
// command's bytes on its stdin (a tiny xclip script here records them).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "support/process.h"
#include "support/read_file.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class CopyE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directory(m_home / "bin");
    install_tool("xclip", "printf '%s\\n' \"$*\" > " + (m_home / "xclip.args").string() + "; cat > " +
                              (m_home / "xclip.bytes").string());
  }
  void install_tool(const std::string& name, const std::string& body) {
    const auto path = m_home / "bin" / name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
  }
  testing::ProcessResult cmdai(std::vector<std::string> args, const std::string& path) {
    return testing::run_cmdai(m_home.path().string(), std::move(args), {{"PATH", path}, {"NO_COLOR", "1"}});
  }
  testing::TempDir m_home;
};

TEST_F(CopyE2E, HandsTheCommandToXclipAndSaysSo) {
  auto r = cmdai({"--copy", "--no-stream", "list all pdf files larger than 10MB in Downloads"},
                 (m_home / "bin").string() + ":/usr/bin:/bin");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::read_file(m_home / "xclip.bytes"), "find ~/Downloads -type f -iname '*.pdf' -size +10M");
  EXPECT_EQ(testing::read_file(m_home / "xclip.args"), "-selection clipboard\n");
  EXPECT_NE(r.err.find("copied to the clipboard through xclip"), std::string::npos) << r.err;
}

TEST_F(CopyE2E, AFailingToolAndNoToolAreClearErrors) {
  install_tool("xclip", "exit 3");
  auto failed = cmdai({"--copy", "--no-stream", "show git status"}, (m_home / "bin").string() + ":/usr/bin:/bin");
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.out.find("git status"), std::string::npos);  // the command is still shown
  EXPECT_NE(failed.err.find("xclip failed (status 3)"), std::string::npos) << failed.err;
  std::filesystem::remove(m_home / "bin" / "xclip");
  auto none = cmdai({"--copy", "--no-stream", "show git status"}, (m_home / "bin").string());
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no wl-copy, xclip or xsel"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace cmdai
