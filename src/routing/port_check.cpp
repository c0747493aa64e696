#include "routing/port_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

namespace cmdai::routing {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

// host and port of an http(s) URL as a socket address; nullopt for a host
// name or anything malformed.
std::optional<SocketAddress> numeric_address(std::string_view url) {
  const bool https = url.starts_with("https://");
  if (!https && !url.starts_with("http://")) return std::nullopt;
  std::string_view rest = url.substr(https ? 8 : 7);
  rest = rest.substr(0, rest.find('/'));
  std::string host;
  std::string_view port_text;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = std::string(rest.substr(1, close - 1));
    if (close + 1 < rest.size() && rest[close + 1] == ':') port_text = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  int port = https ? 443 : 80;
  if (!port_text.empty()) {
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port <= 0 || port > 65535)
      return std::nullopt;
  }
  SocketAddress address;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    address.length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    address.length = sizeof(sockaddr_in6);
  } else {
    return std::nullopt;
  }
  return address;
}

// Starts a connect; the socket when it is pending (fd >= 0), else the state.
PortState start_connect(const SocketAddress& address, int& fd) {
  fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return PortState::unknown;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) == 0) {
    ::close(fd);
    fd = -1;
    return PortState::accepting;
  }
  if (errno == EINPROGRESS) return PortState::unknown;
  ::close(fd);
  fd = -1;
  return PortState::refused;
}

PortState finished_state(int fd) {
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return PortState::unknown;
  return error == 0 ? PortState::accepting : PortState::refused;
}

// Waits for the pending connects (fds[i] >= 0) until each has finished or
// the deadline passed; fills their states and closes them.
void wait_pending(std::vector<int>& fds, std::vector<PortState>& states, SteadyClock::time_point deadline) {
  while (true) {
    std::vector<pollfd> waiting;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i] < 0) continue;
      waiting.push_back({fds[i], POLLOUT, 0});
      index.push_back(i);
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (waiting.empty() || left.count() <= 0) break;
    const int ready = ::poll(waiting.data(), waiting.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (std::size_t k = 0; k < waiting.size(); ++k) {
      if (waiting[k].revents == 0) continue;
      states[index[k]] = finished_state(waiting[k].fd);
      ::close(fds[index[k]]);
      fds[index[k]] = -1;
    }
  }
  for (int& fd : fds) {
    if (fd >= 0) ::close(fd);  // still pending at the deadline: unknown
    fd = -1;
  }
}

}  // namespace

std::vector<PortState> check_ports(std::span<const std::string> endpoints, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  std::vector<PortState> states(endpoints.size(), PortState::unknown);
  std::vector<int> fds(endpoints.size(), -1);
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    if (auto address = numeric_address(endpoints[i])) states[i] = start_connect(*address, fds[i]);
  }
  wait_pending(fds, states, deadline);
  return states;
}

}  // namespace cmdai::routing
