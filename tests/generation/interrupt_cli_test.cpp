// Ctrl-C and stuck streams at the command line: the real cmdai binary is
// started in a process group of its own, SIGINT is sent to the group while
// it is generating (in-process tiny llama model; an HTTP backend on a
// loopback server that stops sending), and the test checks exit status 130
// by exit (not death by signal), that nothing half-done reached stdout or
// the last stderr line, and that the history holds exactly the rows of the
// runs that finished. A per-request timeout ends a stuck stream with an
// error that says to try again.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "history/history_store.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "tools/loopback_server.h"
#include "tools/tiny_model.h"

namespace cmdai::generation {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

// cmdai running in its own process group, its stdout and stderr read as
// they arrive.
class RunningCmdai {
 public:
  RunningCmdai(const testing::TempDir& home, const std::vector<std::string>& args) {
    std::vector<std::string> env_strings{"CMDAI_HOME=" + home.path().string(), "PATH=/usr/bin:/bin",
                                         "HOME=" + home.path().string(), "SHELL=/bin/bash"};
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_strings{CMDAI_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2], err[2];
    EXPECT_EQ(::pipe(out), 0);
    EXPECT_EQ(::pipe(err), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    for (int fd : {out[0], out[1], err[0], err[1]}) posix_spawn_file_actions_addclose(&actions, fd);
    // A group of its own (as a shell's job), default SIGINT handling and an
    // empty mask whatever the test runner inherited.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    EXPECT_EQ(::posix_spawn(&m_pid, argv[0], &actions, &attr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    ::close(err[1]);
    m_out_fd = out[0];
    m_err_fd = err[0];
  }
  ~RunningCmdai() {
    if (m_pid > 0) {
      ::kill(-m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
    if (m_out_fd >= 0) ::close(m_out_fd);
    if (m_err_fd >= 0) ::close(m_err_fd);
  }

  // Reads until stderr contains `text`; false if the process closed its
  // output first.
  bool wait_for_stderr(const std::string& text) {
    while (m_err.find(text) == std::string::npos) {
      if (!read_some()) return false;
    }
    return true;
  }
  void interrupt() const { ::kill(-m_pid, SIGINT); }

  struct Outcome {
    bool exited = false;  // false: killed by a signal
    int status = -1;      // exit status, or the signal
    std::string out, err;
  };
  Outcome finish() {
    while (read_some()) {
    }
    int raw = 0;
    ::waitpid(m_pid, &raw, 0);
    m_pid = -1;
    Outcome o;
    o.exited = WIFEXITED(raw);
    o.status = o.exited ? WEXITSTATUS(raw) : WTERMSIG(raw);
    o.out = m_out;
    o.err = m_err;
    return o;
  }

 private:
  // One read from whichever pipe has data; false once both are closed.
  bool read_some() {
    pollfd fds[2] = {{m_out_fd, POLLIN, 0}, {m_err_fd, POLLIN, 0}};
    if (m_out_fd < 0 && m_err_fd < 0) return false;
    if (::poll(fds, 2, -1) < 0) return false;
    char buffer[4096];
    int* fd_of[2] = {&m_out_fd, &m_err_fd};
    std::string* sink_of[2] = {&m_out, &m_err};
    for (int i = 0; i < 2; ++i) {
      if (*fd_of[i] < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const auto n = ::read(*fd_of[i], buffer, sizeof buffer);
      if (n <= 0) {
        ::close(*fd_of[i]);
        *fd_of[i] = -1;
      } else {
        sink_of[i]->append(buffer, static_cast<std::size_t>(n));
      }
    }
    return m_out_fd >= 0 || m_err_fd >= 0;
  }

  pid_t m_pid = -1;
  int m_out_fd = -1, m_err_fd = -1;
  std::string m_out, m_err;
};

// What a terminal would show last on stderr: the text after the final
// carriage return or line-clear.
std::string last_visible_stderr(const std::string& err) {
  const auto cut = err.find_last_of('\r');
  return cut == std::string::npos ? err : err.substr(cut + 1);
}

std::int64_t history_rows(const testing::TempDir& home) {
  auto store = history::HistoryStore::open(home / "history.db");
  EXPECT_TRUE(store) << store.error().describe();
  if (!store) return -1;
  auto count = store->count();
  EXPECT_TRUE(count) << count.error().describe();
  return count ? *count : -1;
}

// No file was moved aside as damaged: the database is the one cmdai wrote.
bool only_the_database(const testing::TempDir& home) {
  for (const auto& entry : std::filesystem::directory_iterator(home.path())) {
    const auto name = entry.path().filename().string();
    if (name.find("damaged") != std::string::npos || name.find("corrupt") != std::string::npos) return false;
  }
  return true;
}

// One finished run, so the database exists and holds one row before the
// interrupted one.
void one_finished_run(const testing::TempDir& home) {
  auto done =
      testing::run_process({CMDAI_BINARY, "--backend", "rules", "list files"}, {{"CMDAI_HOME", home.path().string()}});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  ASSERT_EQ(history_rows(home), 1);
}

void expect_clean_interrupt(const RunningCmdai::Outcome& o) {
  EXPECT_TRUE(o.exited) << "killed by signal " << o.status << " instead of exiting; stderr: " << o.err;
  EXPECT_EQ(o.status, 130) << o.err;
  EXPECT_EQ(o.out, "") << "nothing half-done on stdout";
  const auto last = last_visible_stderr(o.err);
  EXPECT_EQ(last.find("\xE2\xA0"), std::string::npos) << "no spinner or partial command left: " << last;
}

// SSE answer whose first chunk already starts the command; the server then
// holds the stream open without sending anything more.
ScriptedResponse stalled_openai(const RecordedRequest& r) {
  ScriptedResponse out;
  if (r.path == "/health" || r.path == "/v1/models") {
    out.chunks = {r.path == "/health" ? R"({"status":"ok"})" : R"({"object":"list","data":[{"id":"tiny"}]})"};
    out.chunked = false;
    return out;
  }
  out.content_type = "text/event-stream";
  out.chunks = {"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"{\\\"command\\\": \\\"rm -rf \"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"/tmp/x\\\"}\"}}]}\n\n", "data: [DONE]\n\n"};
  out.hold_after = 1;
  return out;
}

TEST(InterruptCli, CtrlCDuringAnHttpStreamExits130AndLeavesHistoryConsistent) {
  LoopbackServer server(stalled_openai);
  testing::TempDir home;
  one_finished_run(home);
  RunningCmdai cmdai(
      home, {"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--stream", "delete the temp dir"});
  ASSERT_TRUE(cmdai.wait_for_stderr("rm -rf")) << "the partial command never showed";
  cmdai.interrupt();
  const auto outcome = cmdai.finish();
  expect_clean_interrupt(outcome);
  EXPECT_EQ(history_rows(home), 1) << "no row for the interrupted request";
  EXPECT_TRUE(only_the_database(home));
}

TEST(InterruptCli, CtrlCDuringInProcessDecodingExits130AndLeavesHistoryConsistent) {
  const auto model = testing::tiny_model("chat");
  if (model.empty()) GTEST_SKIP() << "built without llama.cpp";
  testing::TempDir home;
  one_finished_run(home);
  RunningCmdai cmdai(home,
                     {"--backend", "llama", "--model", model.string(), "--no-fallback", "--stream", "list files"});
  // The first token has arrived: the decode loop is running.
  ASSERT_TRUE(cmdai.wait_for_stderr("generating")) << "generation never started";
  cmdai.interrupt();
  const auto outcome = cmdai.finish();
  expect_clean_interrupt(outcome);
  EXPECT_EQ(history_rows(home), 1) << "no row for the interrupted request";
  EXPECT_TRUE(only_the_database(home));
}

TEST(InterruptCli, StuckStreamEndsWithARecoverableTimeout) {
  LoopbackServer server(stalled_openai);
  testing::TempDir home;
  one_finished_run(home);
  RunningCmdai cmdai(
      home, {"--config", "backend.instances.slow.type=openai", "--config",
             "backend.instances.slow.endpoint=" + server.url(), "--config", "backend.instances.slow.timeout_ms=300",
             "--backend", "slow", "--no-fallback", "delete the temp dir"});
  const auto outcome = cmdai.finish();
  EXPECT_TRUE(outcome.exited);
  EXPECT_EQ(outcome.status, 1) << outcome.err;
  EXPECT_EQ(outcome.out, "") << "the half-formed command is not printed";
  EXPECT_NE(outcome.err.find("in time"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("try again"), std::string::npos) << outcome.err;
  EXPECT_EQ(history_rows(home), 1);
  server.release();
}

}  // namespace
}  // namespace cmdai::generation
