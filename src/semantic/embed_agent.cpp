#include "semantic/embed_agent.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "semantic/agent_protocol.h"
#include "semantic/agent_socket.h"

namespace cmdai::semantic {
namespace {

namespace fs = std::filesystem;

// The lock that makes this process the socket's one agent; nullopt when
// another agent holds it.
Result<std::optional<UniqueFd>> take_agent_lock(const fs::path& socket) {
  const fs::path path = agent_lock_path(socket);
  UniqueFd lock(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!lock) return fail(ErrorCode::io_error, "cannot open " + path.string() + ": " + std::strerror(errno));
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return std::optional<UniqueFd>{};
    return fail(ErrorCode::io_error, "cannot lock " + path.string() + ": " + std::strerror(errno));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  // The pid is for people and scripts looking for the agent; the lock works without it.
  if (::ftruncate(lock.get(), 0) != 0 || ::pwrite(lock.get(), pid.data(), pid.size(), 0) < 0) {
    return fail(ErrorCode::io_error, "cannot write " + path.string() + ": " + std::strerror(errno));
  }
  return std::optional<UniqueFd>(std::move(lock));
}

struct Served {
  bool model_changed = false;
};

Result<std::string> answer(const EmbedRequest& request, const EmbedAgentOptions& options, Embedder& embedder,
                           FrameKind& kind, Served& served) {
  if (request.model_path != options.model_path.string() || request.model_id != embedder.model_id()) {
    served.model_changed = request.model_path == options.model_path.string();
    kind = FrameKind::wrong_model;
    return encode_text_payload(embedder.model_id());
  }
  std::vector<Vector> vectors;
  if (!request.texts.empty()) {
    auto embedded = embedder.embed(request.texts);
    if (!embedded) return fail(embedded.error());
    vectors = std::move(*embedded);
  }
  kind = FrameKind::vectors;
  return encode_vectors_payload(vectors, embedder.dimensions());
}

// One connection: one request, one reply. A client that is gone or too
// slow costs at most request_timeout; nothing it sends can stop the agent.
Served serve_connection(int fd, const EmbedAgentOptions& options, Embedder& embedder) {
  Served served;
  if (!peer_is_same_user(fd)) return served;
  const auto deadline = std::chrono::steady_clock::now() + options.request_timeout;
  auto frame = receive_frame(fd, k_max_request_payload, deadline);
  Result<std::string> reply = fail(ErrorCode::invalid_argument, "not an embedding request");
  FrameKind kind = FrameKind::failure;
  if (!frame) {
    if (frame.error().code == ErrorCode::io_error || frame.error().code == ErrorCode::timeout) return served;
    reply = fail(frame.error());
  } else if (frame->kind == FrameKind::embed_request) {
    auto request = decode_request_payload(frame->payload);
    reply = request ? answer(*request, options, embedder, kind, served) : Result<std::string>(fail(request.error()));
  }
  if (!reply) {
    kind = FrameKind::failure;
    reply = encode_text_payload(reply.error().describe());
  }
  // A client that left before its reply is no concern of the agent's.
  (void)send_frame(fd, kind, *reply, deadline);
  return served;
}

// Returns once pid has exited or `limit` has passed. A pid that is gone
// already, or a kernel without pidfd_open (before 5.3), returns at once.
void wait_for_exit(pid_t pid, std::chrono::milliseconds limit) {
  if (pid <= 0) return;
  UniqueFd process(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!process) return;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    pollfd entry{process.get(), POLLIN, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
    if (ready != 0 && !(ready < 0 && errno == EINTR)) return;
  }
}

// Whether pid names a process that has not exited: an agent that exited
// stays a zombie until something reaps it (an init that reaps late, a
// subreaper), and kill(pid, 0) still finds a zombie.
bool process_running(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno != EPERM) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;  // no /proc: kill's answer stands
  const auto name_end = line.rfind(')');
  if (name_end == std::string::npos || name_end + 2 >= line.size()) return true;
  const char state = line[name_end + 2];
  return state != 'Z' && state != 'X';
}

// Removes the socket file if it is still the one this agent bound.
void remove_own_socket(const fs::path& socket, ino_t bound) {
  struct stat info {};
  if (::lstat(socket.c_str(), &info) == 0 && info.st_ino == bound) ::unlink(socket.c_str());
}

// How long ago the activity file beside socket was last written (a shell
// prompt, touch_agent); no file, or a time ahead of the clock (the clock
// was set back), counts as never.
std::chrono::milliseconds since_touched(const fs::path& socket) {
  constexpr auto never = std::chrono::milliseconds::max();
  struct stat info {};
  if (::lstat(agent_activity_path(socket).c_str(), &info) != 0) return never;
  const auto touched =
      std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(info.st_mtim.tv_sec) + std::chrono::nanoseconds(info.st_mtim.tv_nsec)));
  const auto ago = std::chrono::system_clock::now() - touched;
  if (ago.count() < 0) return never;
  return std::chrono::duration_cast<std::chrono::milliseconds>(ago);
}

// Serves until neither a request nor a write of the activity file came
// for options.idle.
AgentExit serve(int listener, const EmbedAgentOptions& options, Embedder& embedder) {
  auto last_request = std::chrono::steady_clock::now();
  for (;;) {
    const auto since_request =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - last_request);
    const auto left = options.idle - std::min(since_request, since_touched(options.socket));
    if (left.count() <= 0) return AgentExit::idle;
    pollfd entry{listener, POLLIN, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left.count(), 1LL << 30)));
    if (ready == 0) continue;  // the idle time is measured again, touches included
    if (ready < 0) {
      if (errno == EINTR) continue;
      return AgentExit::idle;
    }
    UniqueFd connection(::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!connection) continue;
    if (serve_connection(connection.get(), options, embedder).model_changed) return AgentExit::model_changed;
    last_request = std::chrono::steady_clock::now();
  }
}

}  // namespace

Result<AgentExit> run_embed_agent(const EmbedAgentOptions& options, const LoadEmbedder& load) {
  auto lock = take_agent_lock(options.socket);
  if (!lock) return fail(lock.error());
  if (!*lock) return AgentExit::already_running;
  wait_for_exit(options.starter, options.starter_wait);
  auto embedder = load();
  if (!embedder) return fail(embedder.error());
  // The first embed of a loaded model sets up what every later one reuses;
  // done here, the first client does not wait for it. A failure shows
  // again in the replies, where the client falls back.
  (void)(*embedder)->embed(std::vector<std::string>{"warm up"});
  // Holding the lock, no other agent uses this path: a file there is stale.
  if (::unlink(options.socket.c_str()) != 0 && errno != ENOENT) {
    return fail(ErrorCode::io_error, "cannot replace " + options.socket.string() + ": " + std::strerror(errno));
  }
  auto listener = listen_agent(options.socket);
  if (!listener) return fail(listener.error());
  struct stat info {};
  if (::lstat(options.socket.c_str(), &info) != 0) {
    return fail(ErrorCode::io_error, "the socket " + options.socket.string() + " vanished");
  }
  const AgentExit exit = serve(listener->get(), options, **embedder);
  remove_own_socket(options.socket, info.st_ino);
  return exit;
}

bool touch_agent(const fs::path& socket) {
  // What the shell's `: >|FILE` does: an empty file, written now.
  UniqueFd activity(
      ::open(agent_activity_path(socket).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  return static_cast<bool>(activity);
}

bool agent_alive(const fs::path& socket) {
  UniqueFd lock(::open(agent_lock_path(socket).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!lock) return false;
  char text[24] = {};
  const ssize_t size = ::pread(lock.get(), text, sizeof text - 1, 0);
  if (size <= 0) return false;
  long long pid = 0;
  const auto [end, ec] = std::from_chars(text, text + size, pid);
  if (ec != std::errc{} || pid <= 0 || pid > std::numeric_limits<pid_t>::max()) return false;
  return process_running(static_cast<pid_t>(pid));
}

Result<void> start_embed_agent(const AgentLaunch& launch) {
  // Everything the children need is made before fork: between fork and
  // exec only async-signal-safe calls (the caller may have other threads).
  std::vector<std::string> args{launch.program.string(), "embed-agent", launch.socket.string(),
                                launch.model_path.string(), std::to_string(launch.idle.count())};
  if (launch.load == AgentLaunch::Load::after_caller_exits) args.push_back(std::to_string(::getpid()));
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child < 0)
    return fail(ErrorCode::unavailable, std::string("cannot start the embedding agent: ") + std::strerror(errno));
  if (child == 0) {
    if (::setsid() < 0) ::_exit(1);
    const pid_t agent = ::fork();
    if (agent != 0) ::_exit(agent < 0 ? 1 : 0);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) ::sigaction(signal, &defaults, nullptr);
    const int null = ::open("/dev/null", O_RDWR);
    if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(null, 1) < 0 || ::dup2(null, 2) < 0) ::_exit(1);
    ::close_range(3, ~0U, 0);
    if (::chdir("/") != 0) ::_exit(1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fail(ErrorCode::unavailable, "cannot start the embedding agent (its session could not be made)");
  }
  return {};
}

}  // namespace cmdai::semantic
