#include "exec/pipe_to.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "core/env.h"

extern char** environ;

namespace cmdai::exec {
namespace {

// Writes everything, retrying short writes; false when the reader left.
bool send_all(int fd, std::string_view input) {
  while (!input.empty()) {
    const ssize_t n = ::send(fd, input.data(), input.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    input.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Result<pid_t> spawn_reading_from(const std::vector<std::string>& argv, int stdin_fd, int close_fd) {
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  if (null_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, null_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, null_fd, 2);
  }
  posix_spawn_file_actions_addclose(&actions, close_fd);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (null_fd >= 0) ::close(null_fd);
  if (rc != 0) return fail(posix_error("starting " + argv[0], rc));
  return pid;
}

}  // namespace

Result<void> pipe_to(const std::vector<std::string>& argv, std::string_view input) {
  if (argv.empty()) return fail(ErrorCode::invalid_argument, "no program to hand the text to");
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return fail(posix_error("socketpair", errno));
  auto pid = spawn_reading_from(argv, fds[0], fds[1]);
  ::close(fds[0]);
  if (!pid) {
    ::close(fds[1]);
    return fail(pid.error());
  }
  ::shutdown(fds[1], SHUT_RD);
  const bool sent = send_all(fds[1], input);
  ::close(fds[1]);
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fail(ErrorCode::io_error,
                argv[0] + " failed (status " +
                    std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) + ")");
  }
  if (!sent) return fail(ErrorCode::io_error, argv[0] + " did not read the text");
  return {};
}

}  // namespace cmdai::exec
