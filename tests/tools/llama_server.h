#pragma once
// Runs the real llama-server (built with the pinned llama.cpp) on 127.0.0.1
// and a free port, serving a tiny model; killed when the object dies. Used
// by the tests and by bench/routing_bench (which passes the binary itself).

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "llm/http_transport.h"

extern char** environ;

namespace cmdai::testing {

// A port the OS had free a moment ago (bound to port 0, then released).
inline int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

struct LlamaServerOptions {
  std::filesystem::path binary;  // the llama-server executable
  std::filesystem::path model;
  std::filesystem::path log;  // where the server logs; empty: nowhere
  int context = 1024;         // -c: the context length the server reports
};

class LlamaServer {
 public:
  // Starts the server and waits until /health answers 200 (or it exits);
  // a port taken in between is retried on another.
  // extra_args go after the usual ones (e.g. --embeddings).
  explicit LlamaServer(const LlamaServerOptions& options, std::vector<std::string> extra_args = {})
      : m_extra_args(std::move(extra_args)) {
    for (int attempt = 0; attempt < 3 && !m_ready; ++attempt) start(options);
  }
#ifdef CMDAI_LLAMA_SERVER
  LlamaServer(const std::filesystem::path& model, const std::filesystem::path& log)
      : LlamaServer(LlamaServerOptions{CMDAI_LLAMA_SERVER, model, log}) {}
#endif
  ~LlamaServer() { kill(); }
  LlamaServer(const LlamaServer&) = delete;
  LlamaServer& operator=(const LlamaServer&) = delete;

  bool ready() const { return m_ready; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

  void kill() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
  }

 private:
  void start(const LlamaServerOptions& options) {
    m_port = free_loopback_port();
    std::vector<std::string> args{options.binary.string(), "-m", options.model.string(), "--host", "127.0.0.1",
                                  "--port", std::to_string(m_port), "-c", std::to_string(options.context), "-np", "1",
                                  "-t", "1",
                                  // A fixed sampling seed: the random-weight model then answers a
                                  // request the same way on every run and machine, so a test that
                                  // passes here passes in CI (answers of every shape are tested
                                  // with scripted servers).
                                  "--seed", "7", "--no-webui"};
    if (!options.log.empty()) args.insert(args.end(), {"--log-file", options.log.string()});
    args.insert(args.end(), m_extra_args.begin(), m_extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const int rc = ::posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      m_pid = -1;
      return;
    }
    llm::HttpTransport transport;
    for (int i = 0; i < 600; ++i) {  // readiness poll, bounded (~30 s)
      int status = 0;
      if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;  // exited: port taken, or a bad model
        return;
      }
      llm::HttpRequest health;
      health.url = url() + "/health";
      health.idle_timeout = std::chrono::milliseconds{1000};
      if (auto r = transport.perform(health, {}, {}); r && r->status == 200) {
        m_ready = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    kill();
  }

  std::vector<std::string> m_extra_args;
  pid_t m_pid = -1;
  int m_port = 0;
  bool m_ready = false;
};

}  // namespace cmdai::testing
