#include "tools/loopback_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

namespace cmdai::testing {
namespace {

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Reads one request from fd into `buffer`-backed state; false on EOF/error.
bool read_request(int fd, std::string& buffer, RecordedRequest& out) {
  std::size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    char tmp[4096];
    const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buffer.append(tmp, static_cast<std::size_t>(n));
  }
  const std::string head = buffer.substr(0, header_end);
  buffer.erase(0, header_end + 4);
  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.find(' ', sp1 + 1);
  out.method = request_line.substr(0, sp1);
  out.path = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  while (line_end != std::string::npos && line_end < head.size()) {
    const auto next = head.find("\r\n", line_end + 2);
    const std::string line =
        head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out.headers[lower(line.substr(0, colon))] = value;
    }
    line_end = next;
  }
  std::size_t length = 0;
  if (auto it = out.headers.find("content-length"); it != out.headers.end()) length = std::stoul(it->second);
  while (buffer.size() < length) {
    char tmp[4096];
    const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buffer.append(tmp, static_cast<std::size_t>(n));
  }
  out.body = buffer.substr(0, length);
  buffer.erase(0, length);
  return true;
}

std::string status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 416: return "Range Not Satisfiable";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

}  // namespace

LoopbackServer::LoopbackServer(Handler handler) : m_handler(std::move(handler)) {
  m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (m_listen_fd < 0 || ::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(m_listen_fd, 8) != 0 || ::pipe(m_wake) != 0) {
    throw std::runtime_error("loopback server: cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  m_port = ntohs(addr.sin_port);
  m_thread = std::thread([this] { serve(); });
}

LoopbackServer::~LoopbackServer() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_cv.notify_all();
  (void)!::write(m_wake[1], "x", 1);
  m_thread.join();
  ::close(m_listen_fd);
  ::close(m_wake[0]);
  ::close(m_wake[1]);
}

void LoopbackServer::release() {
  {
    std::lock_guard lock(m_mutex);
    m_released = true;
  }
  (void)!::write(m_wake[1], "r", 1);
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

int LoopbackServer::connections() const {
  std::lock_guard lock(m_mutex);
  return m_connections;
}

void LoopbackServer::serve() {
  for (;;) {
    pollfd fds[2] = {{m_listen_fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
    ::poll(fds, 2, -1);
    {
      std::lock_guard lock(m_mutex);
      if (m_stopping) return;
    }
    if (fds[1].revents & POLLIN) {
      char drain[16];
      (void)!::read(m_wake[0], drain, sizeof drain);
    }
    if (!(fds[0].revents & POLLIN)) continue;
    const int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    {
      std::lock_guard lock(m_mutex);
      ++m_connections;
    }
    serve_connection(fd);
    ::close(fd);
  }
}

// Waits for release(), stop, or the client hanging up. True when released.
bool LoopbackServer::wait_for_release(int fd) {
  for (;;) {
    {
      std::lock_guard lock(m_mutex);
      if (m_stopping) return false;
      if (m_released) return true;
    }
    pollfd fds[2] = {{fd, POLLIN | POLLRDHUP, 0}, {m_wake[0], POLLIN, 0}};
    ::poll(fds, 2, -1);
    if (fds[0].revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR)) return false;
    if (fds[1].revents & POLLIN) {
      char drain[16];
      (void)!::read(m_wake[0], drain, sizeof drain);
    }
  }
}

void LoopbackServer::serve_connection(int fd) {
  std::string buffer;
  RecordedRequest request;
  while (read_request(fd, buffer, request)) {
    {
      std::lock_guard lock(m_mutex);
      m_requests.push_back(request);
    }
    const ScriptedResponse response = m_handler(request);
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + status_text(response.status) + "\r\n" +
                       "Content-Type: " + response.content_type + "\r\n";
    for (const auto& h : response.extra_headers) head += h + "\r\n";
    std::size_t total = 0;
    for (const auto& c : response.chunks) total += c.size();
    head += response.chunked ? "Transfer-Encoding: chunked\r\n\r\n"
                             : "Content-Length: " + std::to_string(total) + "\r\n\r\n";
    if (!write_all(fd, head)) return;
    for (std::size_t i = 0; i < response.chunks.size(); ++i) {
      if (static_cast<int>(i) == response.hold_after && !wait_for_release(fd)) return;
      const std::string& c = response.chunks[i];
      if (c.empty()) continue;
      std::string framed;
      if (response.chunked) {
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", c.size());
        framed = size + c + "\r\n";
      } else {
        framed = c;
      }
      if (!write_all(fd, framed)) return;
    }
    if (response.hold_after >= static_cast<int>(response.chunks.size()) && !wait_for_release(fd)) return;
    if (response.close_early) return;
    if (response.chunked && !write_all(fd, "0\r\n\r\n")) return;
    request = RecordedRequest{};
  }
}

}  // namespace cmdai::testing
