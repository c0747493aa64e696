#include "semantic/agent_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/hash.h"

namespace cmdai::semantic {
namespace {

namespace fs = std::filesystem;

tl::unexpected<Error> errno_error(ErrorCode code, const std::string& what, int error) {
  return fail(code, what + ": " + std::strerror(error));
}

// A directory only this user can open: a real directory (not a symlink),
// owned by the effective user, no permission bits for group or others.
bool is_private_dir(const fs::path& dir) {
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0) return false;
  return S_ISDIR(info.st_mode) && info.st_uid == ::geteuid() && (info.st_mode & 077) == 0;
}

bool fits_socket_address(const fs::path& path) { return path.native().size() < sizeof(sockaddr_un::sun_path); }

// One spelling per file: absolute, symlinks resolved where they exist,
// no ".", ".." or trailing separator.
fs::path same_spelling(const fs::path& path) {
  std::error_code ec;
  fs::path spelt = fs::weakly_canonical(fs::absolute(path, ec), ec).lexically_normal();
  if (!spelt.has_filename() && spelt != spelt.root_path()) spelt = spelt.parent_path();
  return spelt;
}

sockaddr_un socket_address(const fs::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.native().size() + 1);
  return address;
}

int remaining_ms(AgentDeadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1'000'000));
}

// Waits until fd is ready for events or the deadline passes.
Result<void> wait_ready(int fd, short events, AgentDeadline deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, remaining_ms(deadline));
    if (ready > 0) return {};
    if (ready == 0) return fail(ErrorCode::timeout, "the embedding agent did not answer in time");
    if (errno != EINTR) return errno_error(ErrorCode::io_error, "waiting for the embedding agent", errno);
  }
}

Result<std::string> receive_exact(int fd, std::size_t count, AgentDeadline deadline) {
  std::string bytes(count, '\0');
  std::size_t got = 0;
  while (got < count) {
    const ssize_t n = ::recv(fd, bytes.data() + got, count - got, MSG_DONTWAIT);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (n == 0) {
      return fail(ErrorCode::io_error, "the embedding agent's connection closed mid-message");
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      CMDAI_TRY(wait_ready(fd, POLLIN, deadline));
    } else if (errno != EINTR) {
      return errno_error(ErrorCode::io_error, "reading from the embedding agent", errno);
    }
  }
  return bytes;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (m_fd >= 0) ::close(m_fd);
}

Result<fs::path> agent_socket_dir(const Env& env) {
  if (auto runtime = env.get_var("XDG_RUNTIME_DIR"); runtime && fs::path(*runtime).is_absolute()) {
    if (is_private_dir(*runtime)) return fs::path(*runtime);
  }
  const auto tmp = env.get_var("TMPDIR");
  const fs::path base = tmp && fs::path(*tmp).is_absolute() ? fs::path(*tmp) : fs::path("/tmp");
  const fs::path dir = base / ("cmdai-" + std::to_string(::geteuid()));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return errno_error(ErrorCode::unavailable, "cannot create " + dir.string(), errno);
  }
  if (!is_private_dir(dir)) {
    return fail(ErrorCode::unavailable, dir.string() + " is not a directory only this user can open",
                "remove it, or set XDG_RUNTIME_DIR");
  }
  return dir;
}

Result<fs::path> agent_socket_path(const Env& env, const fs::path& data_dir, const fs::path& model_path) {
  auto dir = agent_socket_dir(env);
  if (!dir) return fail(dir.error());
  const std::string key = same_spelling(data_dir).string() + '\0' + same_spelling(model_path).string();
  char name[64];
  std::snprintf(name, sizeof name, "cmdai-embed-%016llx.sock", static_cast<unsigned long long>(fnv1a64(key)));
  fs::path socket = *dir / name;
  if (!fits_socket_address(socket)) {
    return fail(ErrorCode::unavailable, "the socket path " + socket.string() + " is too long for a socket",
                "set XDG_RUNTIME_DIR to a shorter directory");
  }
  return socket;
}

fs::path agent_lock_path(const fs::path& socket) {
  fs::path lock = socket;
  lock.replace_extension(".lock");
  return lock;
}

fs::path agent_activity_path(const fs::path& socket) {
  fs::path activity = socket;
  activity.replace_extension(".active");
  return activity;
}

Result<UniqueFd> connect_agent(const fs::path& socket, AgentDeadline deadline) {
  if (!fits_socket_address(socket)) return fail(ErrorCode::unavailable, "socket path too long: " + socket.string());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error(ErrorCode::io_error, "socket", errno);
  const sockaddr_un address = socket_address(socket);
  for (;;) {
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return fd;
    if (errno == EINTR) continue;
    if (errno == ENOENT || errno == ECONNREFUSED) {
      return errno_error(ErrorCode::unavailable, "no embedding agent at " + socket.string(), errno);
    }
    // A full backlog: the agent is busy; try again until the deadline.
    if (errno == EAGAIN && remaining_ms(deadline) > 0) {
      ::usleep(1000);
      continue;
    }
    return errno_error(errno == EAGAIN ? ErrorCode::timeout : ErrorCode::io_error,
                       "connecting to the embedding agent at " + socket.string(), errno);
  }
}

Result<UniqueFd> listen_agent(const fs::path& socket) {
  if (!fits_socket_address(socket)) return fail(ErrorCode::unavailable, "socket path too long: " + socket.string());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error(ErrorCode::io_error, "socket", errno);
  const sockaddr_un address = socket_address(socket);
  const mode_t previous = ::umask(0177);
  const int bound = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int bind_errno = errno;
  ::umask(previous);
  if (bound != 0) return errno_error(ErrorCode::io_error, "cannot listen at " + socket.string(), bind_errno);
  if (::listen(fd.get(), 64) != 0) return errno_error(ErrorCode::io_error, "listen at " + socket.string(), errno);
  return fd;
}

bool peer_is_same_user(int fd) {
  ucred credentials{};
  socklen_t length = sizeof credentials;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return false;
  return length == sizeof credentials && credentials.uid == ::geteuid();
}

Result<void> send_frame(int fd, FrameKind kind, std::string_view payload, AgentDeadline deadline) {
  const std::string bytes = encode_frame(kind, payload);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    // MSG_NOSIGNAL: a peer gone is an error here, not a SIGPIPE.
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      sent += static_cast<std::size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      CMDAI_TRY(wait_ready(fd, POLLOUT, deadline));
    } else if (errno != EINTR) {
      return errno_error(ErrorCode::io_error, "writing to the embedding agent's connection", errno);
    }
  }
  return {};
}

Result<Frame> receive_frame(int fd, std::uint32_t max_payload, AgentDeadline deadline) {
  auto header_bytes = receive_exact(fd, k_frame_header_bytes, deadline);
  if (!header_bytes) return fail(header_bytes.error());
  auto header = decode_frame_header(*header_bytes, max_payload);
  if (!header) return fail(header.error());
  auto payload = receive_exact(fd, header->payload_bytes, deadline);
  if (!payload) return fail(payload.error());
  return Frame{header->kind, std::move(*payload)};
}

}  // namespace cmdai::semantic
