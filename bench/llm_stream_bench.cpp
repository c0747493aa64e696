// Streaming overhead against a real llama-server: the time from a chunk
// leaving the server to the PartialResult event it produces, and the time
// from a request to its first event with a warm server.
//
//   llm_stream_bench URL ROUNDS
//
// A loopback proxy sits between cmdai's HTTP transport and llama-server and
// records when it writes each chunk of the server's answer to cmdai's
// socket; the event sink records when each PartialResult arrives. A partial
// is matched to the last chunk written before it, so the latency covers the
// loopback socket, libcurl, the SSE parser, the JSON of the chunk and the
// partial-command decoder - and the wait for a CPU: on a busy machine the
// scheduler's delay dominates, so the worker thread's CPU time per partial
// is reported too (the cost of the work itself). Prints one JSON line.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "generation/streaming_generator.h"
#include "llm/backend_factory.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace cmdai;

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Forwards loopback connections to the server's port and timestamps every
// write towards the client (just before it is made).
class TimingProxy {
 public:
  explicit TimingProxy(int upstream_port) : m_upstream(upstream_port) {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(m_listen, 8);
    socklen_t len = sizeof addr;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::jthread([this](std::stop_token stop) { accept_loop(stop); });
  }
  ~TimingProxy() {
    m_thread.request_stop();
    ::shutdown(m_listen, SHUT_RDWR);
    ::close(m_listen);
  }
  int port() const { return m_port; }
  std::vector<Clock::time_point> writes() {
    std::lock_guard lock(m_mutex);
    return m_writes;
  }
  void clear() {
    std::lock_guard lock(m_mutex);
    m_writes.clear();
  }

 private:
  void accept_loop(std::stop_token stop) {
    std::vector<std::jthread> connections;
    while (!stop.stop_requested()) {
      const int client = ::accept(m_listen, nullptr, nullptr);
      if (client < 0) break;
      connections.emplace_back([this, client](std::stop_token s) { pump(client, s); });
    }
  }
  void pump(int client, std::stop_token stop) {
    const int server = connect_to(m_upstream);
    // No Nagle delay on the forwarded chunks: the proxy must not hold back
    // what the server already sent.
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (server >= 0) ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buffer[65536];
    while (server >= 0 && !stop.stop_requested()) {
      pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
      if (::poll(fds, 2, 200) < 0) break;
      if (fds[0].revents & (POLLIN | POLLHUP)) {
        const auto n = ::read(client, buffer, sizeof buffer);
        if (n <= 0 || ::write(server, buffer, static_cast<std::size_t>(n)) != n) break;
      }
      if (fds[1].revents & (POLLIN | POLLHUP)) {
        const auto n = ::read(server, buffer, sizeof buffer);
        if (n <= 0) break;
        // Stamped before the write: once it is written, cmdai's thread may
        // run (and emit its partial) before this one is scheduled again.
        const auto leaving = Clock::now();
        {
          std::lock_guard lock(m_mutex);
          m_writes.push_back(leaving);
        }
        if (::write(client, buffer, static_cast<std::size_t>(n)) != n) break;
      }
    }
    if (server >= 0) ::close(server);
    ::close(client);
  }

  int m_upstream;
  int m_listen = -1;
  int m_port = 0;
  std::mutex m_mutex;
  std::vector<Clock::time_point> m_writes;
  std::jthread m_thread;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

double us(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// CPU time of the calling thread, in microseconds.
double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

struct Samples {
  std::vector<double> chunk_to_partial_us;
  std::vector<double> cpu_per_partial_us;  // worker CPU from one partial to the next
  std::vector<double> first_event_us;
  std::vector<double> first_partial_us;
};

// One request through the proxy; adds its latencies to `out`.
void one_round(llm::Backend& backend, TimingProxy& proxy, Samples& out) {
  generation::GenerationRequest request;
  request.request = "list all pdf files larger than 10MB in Downloads";
  request.working_directory = "/home/user";
  std::vector<Clock::time_point> partials;
  std::vector<double> partial_cpu;
  std::optional<Clock::time_point> first_event;
  proxy.clear();
  const auto start = Clock::now();
  generation::StreamingGenerator generator(backend);
  auto result = generator.generate(request,
                                   [&](const generation::StreamEvent& e) {
                                     const auto now = Clock::now();
                                     if (!first_event) first_event = now;
                                     if (std::holds_alternative<generation::PartialResultEvent>(e)) {
                                       partials.push_back(now);
                                       partial_cpu.push_back(thread_cpu_us());  // the sink runs on the worker thread
                                     }
                                   },
                                   {});
  if (!result) std::cerr << "llm_stream_bench: " << result.error().describe() << "\n";
  const auto writes = proxy.writes();
  if (first_event) out.first_event_us.push_back(us(*first_event - start));
  if (!partials.empty()) out.first_partial_us.push_back(us(partials.front() - start));
  for (std::size_t i = 1; i < partial_cpu.size(); ++i)
    out.cpu_per_partial_us.push_back(partial_cpu[i] - partial_cpu[i - 1]);
  for (const auto& at : partials) {
    auto after = std::upper_bound(writes.begin(), writes.end(), at);
    if (after != writes.begin()) out.chunk_to_partial_us.push_back(us(at - *std::prev(after)));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: llm_stream_bench URL ROUNDS   (URL: http://127.0.0.1:PORT of a llama-server)\n";
    return 2;
  }
  const std::string url = argv[1];
  const int rounds = std::atoi(argv[2]);
  TimingProxy proxy(std::atoi(url.substr(url.rfind(':') + 1).c_str()));
  llm::BackendSpec spec;
  spec.type = BackendType::openai;
  spec.endpoint = "http://127.0.0.1:" + std::to_string(proxy.port());
  spec.api_key_env.clear();
  auto backend = llm::create_backend(spec);
  if (!backend) {
    std::cerr << backend.error().describe() << "\n";
    return 1;
  }
  Samples warmup, samples;
  one_round(**backend, proxy, warmup);  // the server's first request, and the connection
  for (int i = 0; i < rounds; ++i) one_round(**backend, proxy, samples);
  const auto& c = samples.chunk_to_partial_us;
  std::cout << nlohmann::json{{"partials", c.size()},
                              {"chunk_to_partial_p50_us", percentile(c, 0.50)},
                              {"chunk_to_partial_p90_us", percentile(c, 0.90)},
                              {"chunk_to_partial_p99_us", percentile(c, 0.99)},
                              {"chunk_to_partial_max_us", percentile(c, 1.0)},
                              {"cpu_per_partial_p50_us", percentile(samples.cpu_per_partial_us, 0.50)},
                              {"cpu_per_partial_p99_us", percentile(samples.cpu_per_partial_us, 0.99)},
                              {"first_event_p50_us", percentile(samples.first_event_us, 0.5)},
                              {"first_event_max_us", percentile(samples.first_event_us, 1.0)},
                              {"first_partial_p50_ms", percentile(samples.first_partial_us, 0.5) / 1000.0}}
                   .dump()
            << std::endl;
  return 0;
}
