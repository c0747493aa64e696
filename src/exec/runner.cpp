#include "exec/runner.h"

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/env.h"

extern char** environ;

namespace cmdai::exec {
namespace {

// Copies everything from the child's pipe to our stdout, counting bytes.
std::uint64_t pump(int from_fd, int to_fd) {
  std::uint64_t total = 0;
  char buffer[64 * 1024];
  while (true) {
    const ssize_t n = ::read(from_fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    total += static_cast<std::uint64_t>(n);
    ssize_t written = 0;
    while (written < n) {
      const ssize_t w = ::write(to_fd, buffer + written, static_cast<std::size_t>(n - written));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      written += w;
    }
  }
  return total;
}

}  // namespace

Result<RunResult> run_command(const std::string& command, const RunOptions& options) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return fail(posix_error("creating a pipe", errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  if (!options.working_directory.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory.c_str());
  }
  const char* argv[] = {options.shell_path.c_str(), "-c", command.c_str(), nullptr};
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, options.shell_path.c_str(), &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    return fail(posix_error("starting " + options.shell_path, rc));
  }
  RunResult result;
  result.output_size = pump(pipe_fds[0], 1);
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.wall_time = std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace cmdai::exec
