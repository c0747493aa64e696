// exec::run_command against /bin/sh: exit codes, signals, output size,
// stdin, Ctrl-C forwarding.

#include "exec/runner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "support/temp_dir.h"

namespace cmdai::exec {
namespace {

// Runs command with stdout and stderr captured in files of a TempDir.
class Runner : public ::testing::Test {
 protected:
  Result<RunResult> run(const std::string& command, int stdin_fd = 0) {
    m_out = ::open((m_dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    m_err = ::open((m_dir / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    RunOptions options;
    options.stdout_fd = m_out;
    options.stderr_fd = m_err;
    options.stdin_fd = stdin_fd;
    auto result = run_command(command, options);
    ::close(m_out);
    ::close(m_err);
    return result;
  }
  std::string read(const std::string& name) {
    std::ifstream in(m_dir / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  testing::TempDir m_dir;
  int m_out = -1;
  int m_err = -1;
};

TEST_F(Runner, ReportsTheExitCode) {
  for (int code : {0, 1, 3, 42, 255}) {
    auto r = run("exit " + std::to_string(code));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->exit_code, code);
    EXPECT_FALSE(r->signal);
    EXPECT_FALSE(r->interrupted);
  }
}

TEST_F(Runner, ReportsDeathBySignalAs128PlusN) {
  auto r = run("kill -TERM $$");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->signal, SIGTERM);
  EXPECT_EQ(r->exit_code, 128 + SIGTERM);
  r = run("kill -KILL $$");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 128 + SIGKILL);
}

TEST_F(Runner, CopiesAndCountsLargeOutputOnBothStreams) {
  auto r = run("head -c 10000000 /dev/zero; printf abc >&2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->output_size, 10'000'003u);
  EXPECT_EQ(read("out").size(), 10'000'000u);
  EXPECT_EQ(read("err"), "abc");
}

TEST_F(Runner, PassesStdinThrough) {
  {
    std::ofstream in(m_dir / "in");
    in << "one\ntwo\nthree\n";
  }
  const int in_fd = ::open((m_dir / "in").c_str(), O_RDONLY);
  auto r = run("wc -l | tr -d ' '", in_fd);
  ::close(in_fd);
  ASSERT_TRUE(r);
  EXPECT_EQ(read("out"), "3\n");
  EXPECT_EQ(r->output_size, 2u);
}

TEST_F(Runner, BinaryOutputAndNulBytesArriveUnchanged) {
  auto r = run("printf 'a\\000b\\377'");
  ASSERT_TRUE(r);
  EXPECT_EQ(read("out"), std::string("a\0b\xff", 4));
}

TEST_F(Runner, RunsInTheGivenWorkingDirectory) {
  RunOptions options;
  options.working_directory = m_dir.path().string();
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  options.stdout_fd = fds[1];
  auto r = run_command("pwd", options);
  ::close(fds[1]);
  char buffer[4096];
  const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
  ::close(fds[0]);
  ASSERT_TRUE(r);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(n)), m_dir.path().string() + "\n");
}

TEST_F(Runner, BackgroundChildrenHoldingThePipeDoNotKeepItWaiting) {
  auto r = run("sleep 30 & echo $!");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0);
  const pid_t left_behind = std::stoi(read("out"));
  ASSERT_GT(left_behind, 0);
  ::kill(left_behind, SIGTERM);
}

TEST(RunnerErrors, AMissingShellIsNotFound) {
  RunOptions options;
  options.shell_path = "/nonexistent/shell";
  auto r = run_command("true", options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_NE(r.error().message.find("/nonexistent/shell"), std::string::npos);
}

TEST(RunnerErrors, AClosedReaderEndsTheChildWithSigpipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  RunOptions options;
  options.stdout_fd = fds[1];
  auto r = run_command("exec yes", options);
  ::close(fds[1]);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->signal, SIGPIPE);
}

// Sends SIGINT to this process (not the terminal: the runner must forward it)
// once the child has printed "ready".
struct Interrupter {
  explicit Interrupter(int read_fd) {
    m_thread = std::thread([read_fd] {
      std::string seen;
      char c = 0;
      while (seen.find("ready") == std::string::npos && ::read(read_fd, &c, 1) == 1) seen += c;
      ::kill(::getpid(), SIGINT);
      while (::read(read_fd, &c, 1) == 1) {
      }
    });
  }
  ~Interrupter() { m_thread.join(); }
  std::thread m_thread;
};

RunResult run_interrupted(const std::string& command) {
  sigset_t set, previous;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, &previous);  // the helper thread inherits it
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  RunOptions options;
  options.stdout_fd = fds[1];
  Result<RunResult> result = fail(ErrorCode::internal, "not run");
  {
    Interrupter interrupter(fds[0]);
    result = run_command(command, options);
    ::close(fds[1]);
  }
  ::close(fds[0]);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  EXPECT_TRUE(result);
  return result ? *result : RunResult{};
}

TEST(RunnerInterrupt, CtrlCIsForwardedToTheChildWhichDiesOfIt) {
  const auto r = run_interrupted("echo ready; exec sleep 30");
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.signal, SIGINT);
  EXPECT_EQ(r.exit_code, 130);
}

TEST(RunnerInterrupt, AChildThatTrapsCtrlCDecidesItsOwnExitCode) {
  const auto r = run_interrupted("trap 'kill $!; exit 7' INT; sleep 30 & echo ready; wait");
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.signal);
  EXPECT_EQ(r.exit_code, 7);
}

TEST(RunnerInterrupt, NoSignalIsLeftPendingForCmdaiAfterwards) {
  run_interrupted("echo ready; exec sleep 30");
  sigset_t pending;
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGINT));
}

TEST(ResolveShell, PrefersTheRequestedShellThenShellThenBinSh) {
  auto requested = resolve_shell(std::string("sh"), std::string("/bin/bash"), std::string("/usr/bin:/bin"));
  ASSERT_TRUE(requested);
  EXPECT_TRUE(requested->ends_with("/sh"));
  auto from_env = resolve_shell(std::nullopt, std::string("/bin/bash"), std::nullopt);
  ASSERT_TRUE(from_env);
  EXPECT_EQ(*from_env, "/bin/bash");
  auto fallback = resolve_shell(std::nullopt, std::string("/no/such/shell"), std::nullopt);
  ASSERT_TRUE(fallback);
  EXPECT_EQ(*fallback, "/bin/sh");
  auto missing = resolve_shell(std::string("no-such-shell-xyz"), std::nullopt, std::string("/usr/bin:/bin"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace cmdai::exec
