#include "cli/clipboard.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "support/fake_env.h"

namespace cmdai::cli {
namespace {

TEST(Clipboard, Osc52CarriesTheBytesInBase64) {
  EXPECT_EQ(osc52_sequence("ls -la"), "\033]52;c;bHMgLWxh\a");
  EXPECT_EQ(osc52_sequence("a"), "\033]52;c;YQ==\a");
  EXPECT_EQ(osc52_sequence("ab"), "\033]52;c;YWI=\a");
  EXPECT_EQ(osc52_sequence(""), "\033]52;c;\a");
  EXPECT_EQ(osc52_sequence(std::string_view("\xff\x00\x80", 3)), "\033]52;c;/wCA\a");
}

// On a terminal the sequence goes to it, whatever tools exist.
TEST(Clipboard, OnATerminalWritesTheSequence) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  testing::FakeEnv env;
  auto how = copy_to_clipboard(env, "git status", fds[1]);
  ::close(fds[1]);
  ASSERT_TRUE(how.has_value());
  EXPECT_EQ(*how, "the terminal (OSC 52)");
  char buffer[128] = {};
  const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
  ::close(fds[0]);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(n)), osc52_sequence("git status"));
}

}  // namespace
}  // namespace cmdai::cli
