#include "exec/runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <filesystem>

#include "core/env.h"

extern char** environ;

namespace cmdai::exec {
namespace {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(Fd&& other) noexcept : m_fd(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return m_fd; }
  int release() { return std::exchange(m_fd, -1); }
  void reset(int fd = -1) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
  }

 private:
  int m_fd = -1;
};

// The signals cmdai takes over while a child runs. SIGPIPE is among them so a
// closed stdout ends the copying instead of killing cmdai.
sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal : {SIGINT, SIGTERM, SIGQUIT, SIGPIPE}) sigaddset(&set, signal);
  return set;
}

// Blocks the watched signals in this thread for its lifetime, then discards
// whatever of them is still pending before restoring the old mask, so a
// signal meant for the child never hits cmdai afterwards.
class SignalBlock {
 public:
  SignalBlock() : m_set(watched_signals()) { pthread_sigmask(SIG_BLOCK, &m_set, &m_previous); }
  ~SignalBlock() {
    const timespec zero{0, 0};
    while (sigtimedwait(&m_set, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
  }
  const sigset_t& set() const { return m_set; }

 private:
  sigset_t m_set;
  sigset_t m_previous{};
};

Result<pid_t> spawn_child(const std::string& command, const RunOptions& options, int out_fd, int err_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.stdin_fd != 0) posix_spawn_file_actions_adddup2(&actions, options.stdin_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  if (!options.working_directory.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory.c_str());
  }
  // The child must not inherit cmdai's blocked signals (InterruptScope blocks
  // SIGINT) nor any ignored disposition: Ctrl-C has to reach it.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attributes, &empty);
  sigset_t defaults;
  sigfillset(&defaults);
  sigdelset(&defaults, SIGKILL);
  sigdelset(&defaults, SIGSTOP);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {options.shell_path.c_str(), "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  const int rc =
      ::posix_spawn(&pid, options.shell_path.c_str(), &actions, &attributes, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) return fail(posix_error("starting " + options.shell_path, rc));
  return pid;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t w = ::write(fd, data, size);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    size -= static_cast<std::size_t>(w);
  }
  return true;
}

// One output stream of the child: its pipe and where the bytes go.
struct Stream {
  Fd from;
  int to = 1;
  bool open = true;
};

// Copies what is available now; closes the stream at end of file.
void pump(Stream& stream, std::uint64_t& total) {
  std::array<char, 64 * 1024> buffer;
  while (stream.open) {
    const ssize_t n = ::read(stream.from.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      stream.open = false;
      stream.from.reset();
      return;
    }
    total += static_cast<std::uint64_t>(n);
    if (!write_all(stream.to, buffer.data(), static_cast<std::size_t>(n))) {
      // Nobody reads our output any more (e.g. `cmdai -x yes | head`): close
      // the child's pipe so it gets SIGPIPE, as it would without cmdai.
      stream.open = false;
      stream.from.reset();
      return;
    }
  }
}

// Reads the pending signals; forwards those not sent by the terminal.
void handle_signals(int signal_fd, pid_t child, RunResult& result) {
  signalfd_siginfo info{};
  while (::read(signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    const int signal = static_cast<int>(info.ssi_signo);
    if (signal == SIGPIPE) continue;
    result.interrupted = true;
    // SI_KERNEL: the terminal sent it to the whole foreground group, the
    // child included; forwarding would deliver it twice.
    if (info.ssi_code != SI_KERNEL) ::kill(child, signal);
  }
}

Result<std::pair<Fd, Fd>> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fail(posix_error("creating a pipe", errno));
  ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  return std::pair<Fd, Fd>{Fd(fds[0]), Fd(fds[1])};
}

// Copies output until the child has exited and its pipes are drained (or
// are held open only by processes it left in the background).
void supervise(pid_t child, Stream& out, Stream& err, int signal_fd, int pid_fd, RunResult& result) {
  bool exited = false;
  while (!exited || out.open || err.open) {
    if (exited) {
      pump(out, result.output_size);  // whatever is buffered; background
      pump(err, result.output_size);  // writers may keep the pipes open
      break;
    }
    std::array<pollfd, 4> fds{{{out.open ? out.from.get() : -1, POLLIN, 0},
                               {err.open ? err.from.get() : -1, POLLIN, 0},
                               {signal_fd, POLLIN, 0},
                               {pid_fd, POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) pump(out, result.output_size);
    if (fds[1].revents != 0) pump(err, result.output_size);
    if (fds[2].revents != 0) handle_signals(signal_fd, child, result);
    if (fds[3].revents != 0) exited = true;
  }
}

}  // namespace

Result<RunResult> run_command(const std::string& command, const RunOptions& options) {
  auto out_pipe = make_pipe();
  if (!out_pipe) return fail(out_pipe.error());
  auto err_pipe = make_pipe();
  if (!err_pipe) return fail(err_pipe.error());
  SignalBlock block;
  Fd signal_fd(::signalfd(-1, &block.set(), SFD_NONBLOCK | SFD_CLOEXEC));
  if (signal_fd.get() < 0) return fail(posix_error("watching signals", errno));

  const auto start = std::chrono::steady_clock::now();
  auto pid = spawn_child(command, options, out_pipe->second.get(), err_pipe->second.get());
  out_pipe->second.reset();
  err_pipe->second.reset();
  if (!pid) return fail(pid.error());
  // glibc 2.36's <sys/pidfd.h> lacks extern "C"; the system call is the same.
  Fd pid_fd(static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0)));
  RunResult result;
  Stream out{std::move(out_pipe->first), options.stdout_fd};
  Stream err{std::move(err_pipe->first), options.stderr_fd};
  if (pid_fd.get() >= 0) {
    supervise(*pid, out, err, signal_fd.get(), pid_fd.get(), result);
  } else {
    while (out.open || err.open) {  // no pidfd (old kernel): copy to end of file
      std::array<pollfd, 2> fds{
          {{out.open ? out.from.get() : -1, POLLIN, 0}, {err.open ? err.from.get() : -1, POLLIN, 0}}};
      if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
      pump(out, result.output_size);
      pump(err, result.output_size);
    }
  }
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  handle_signals(signal_fd.get(), *pid, result);
  result.wall_time = std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
  if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + WTERMSIG(status);
  } else {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

std::optional<std::string> find_executable(const std::string& name, const std::optional<std::string>& env_path) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
    return std::nullopt;
  }
  const std::string path = env_path.value_or("/usr/bin:/bin");
  std::size_t begin = 0;
  while (begin <= path.size()) {
    const std::size_t end = std::min(path.find(':', begin), path.size());
    const std::string dir = path.substr(begin, end - begin);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
    begin = end + 1;
  }
  return std::nullopt;
}

Result<std::string> resolve_shell(const std::optional<std::string>& requested,
                                  const std::optional<std::string>& env_shell,
                                  const std::optional<std::string>& env_path) {
  if (requested) {
    if (auto found = find_executable(*requested, env_path)) return *found;
    return fail(ErrorCode::not_found, "shell '" + *requested + "' not found", "give a path, e.g. --shell /bin/bash");
  }
  if (env_shell && !env_shell->empty()) {
    if (auto found = find_executable(*env_shell, env_path)) return *found;
  }
  return std::string("/bin/sh");
}

}  // namespace cmdai::exec
