#pragma once
// Where the embedding agent listens and how its frames cross the socket:
// a Unix-domain stream socket in a directory only this user can open,
// never a network address. Every wait has a deadline, so a peer that stops
// answering (killed, stopped, hung) costs a bounded wait, never a hang.
//
// Errors are Error values built from errno at the call that failed:
// unavailable (nothing listens: no socket file, or a stale one), timeout
// (the deadline passed), io_error (the peer closed or the call failed).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "core/env.h"
#include "core/error.h"
#include "semantic/agent_protocol.h"

namespace cmdai::semantic {

using AgentDeadline = std::chrono::steady_clock::time_point;

// Owns one file descriptor; closes it when destroyed.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : m_fd(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return m_fd; }
  explicit operator bool() const { return m_fd >= 0; }

 private:
  int m_fd = -1;
};

// The directory agent sockets live in: $XDG_RUNTIME_DIR when it is set to
// a directory this user owns that no one else may open; otherwise
// `cmdai-UID` under $TMPDIR (or /tmp), created 0700 if missing. Errors:
// unavailable when that directory is a symlink, belongs to someone else or
// is open to others (it is never chmod-ed or used).
Result<std::filesystem::path> agent_socket_dir(const Env& env);

// The socket of the agent for the history in data_dir and the model at
// model_path: a name hashed from both (so different CMDAI_HOMEs and models
// never share one, and long paths stay within sun_path's 108 bytes).
// Errors: those of agent_socket_dir; unavailable when even the hashed path
// is too long for a socket address.
Result<std::filesystem::path> agent_socket_path(const Env& env, const std::filesystem::path& data_dir,
                                                const std::filesystem::path& model_path);

// The lock file beside a socket: the agent holds an exclusive flock on it
// for its whole life, with its pid written inside.
std::filesystem::path agent_lock_path(const std::filesystem::path& socket);

// The activity file beside a socket: its modification time is the last
// activity that counts as a request for the agent's idle time (a shell
// prompt, touch_agent). Empty; anyone the directory lets in may truncate it.
std::filesystem::path agent_activity_path(const std::filesystem::path& socket);

// A connected socket to the agent at path (non-blocking, close-on-exec).
Result<UniqueFd> connect_agent(const std::filesystem::path& socket, AgentDeadline deadline);

// A listening socket bound at path, which must not exist (owner-only, 0600
// through the directory and the socket's own mode).
Result<UniqueFd> listen_agent(const std::filesystem::path& socket);

// True when the connected peer runs as this process's effective user
// (SO_PEERCRED).
bool peer_is_same_user(int fd);

Result<void> send_frame(int fd, FrameKind kind, std::string_view payload, AgentDeadline deadline);

struct Frame {
  FrameKind kind = FrameKind::failure;
  std::string payload;
};
// One frame; a payload longer than max_payload is refused unread.
Result<Frame> receive_frame(int fd, std::uint32_t max_payload, AgentDeadline deadline);

}  // namespace cmdai::semantic
