// Routing benchmarks.
//
// BM_SelectCached/N: BackendSelector::select over N instances whose health
// and response times are cached (what every request pays). Counters p50_us
// and p99_us are per-call latencies over all iterations; the goal is p99 < 1 ms.
//
// BM_LoadAndSelect/N: what a new process pays before its first request:
// open the database, load N instances' backend_metrics rows, select.
//
// BM_ColdHealthCheck: HealthChecker over instances that are loopback
// listeners which accept connections and never answer, plus dead ports. The
// baseline (same run) checks the same instances one after another; the
// ratio parallel/sequential shows the check is bounded by the slowest
// timeout, not the sum. When the openai backend cannot be built, a minimal
// raw-socket probe stands in for it (reported in the label).

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "routing/health_checker.h"
#include "routing/metrics_store.h"
#include "routing/selector.h"

namespace cmdai::routing {
namespace {

using SteadyClock = std::chrono::steady_clock;

Timestamp fixed_now() { return Timestamp{std::chrono::seconds{1'764'547'200}}; }

void BM_SelectCached(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<BackendInstance> instances;
  PerformanceMonitor monitor;
  for (int i = 0; i < n; ++i) {
    BackendInstance instance;
    instance.name = "vllm-" + std::to_string(i);
    instance.type = i % 3 == 0 ? BackendType::ollama : BackendType::vllm;
    instance.endpoint = "http://127.0.0.1:" + std::to_string(8000 + i);
    instance.context_length = 4096;
    instances.push_back(instance);
    monitor.record_health(instance.name, {i % 7 != 3, "ok", Micros{500}, fixed_now()});
    for (int k = 0; k < 20; ++k) {
      monitor.record_request(instance.name, {fixed_now(), Micros{100'000 + (i * 7919 + k * 104729) % 400'000},
                                             std::nullopt, k % 10 == 0 ? Outcome::failure : Outcome::success, ""});
    }
  }
  auto registry = Registry::create(instances);
  if (!registry) {
    state.SkipWithError("registry");
    return;
  }
  const BackendSelector selector(*registry, monitor);
  SelectionCriteria criteria;
  criteria.min_context_length = 2048;
  std::vector<double> micros;
  for (auto _ : state) {
    const auto start = SteadyClock::now();
    auto result = selector.select(criteria, fixed_now());
    micros.push_back(std::chrono::duration<double, std::micro>(SteadyClock::now() - start).count());
    benchmark::DoNotOptimize(result);
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
}
BENCHMARK(BM_SelectCached)->Arg(1)->Arg(10)->Arg(100);

void BM_LoadAndSelect(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::string pattern = (std::filesystem::temp_directory_path() / "cmdai-bench-XXXXXX").string();
  const std::filesystem::path dir = ::mkdtemp(pattern.data());
  std::vector<BackendInstance> instances;
  {
    PerformanceMonitor monitor;
    for (int i = 0; i < n; ++i) {
      BackendInstance instance;
      instance.name = "vllm-" + std::to_string(i);
      instance.type = BackendType::vllm;
      instance.endpoint = "http://127.0.0.1:" + std::to_string(8000 + i);
      instances.push_back(instance);
      monitor.record_health(instance.name, {true, "ok", Micros{500}, fixed_now()});
      for (int k = 0; k < static_cast<int>(k_sample_window); ++k) {
        monitor.record_request(instance.name, {fixed_now(), Micros{100'000 + (i * 7919 + k * 104729) % 400'000},
                                               Micros{20'000}, Outcome::success, ""});
      }
    }
    auto store = MetricsStore::open(dir / "history.db");
    if (!store || !store->save(monitor)) {
      state.SkipWithError("could not write backend_metrics");
      return;
    }
  }
  auto registry = Registry::create(instances);
  for (auto _ : state) {
    PerformanceMonitor monitor;
    auto store = MetricsStore::open(dir / "history.db");
    benchmark::DoNotOptimize(store->load_into(monitor));
    benchmark::DoNotOptimize(BackendSelector(*registry, monitor).select({}, fixed_now()));
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LoadAndSelect)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

// A loopback port that completes TCP handshakes (the kernel backlog) but
// never answers, or a port nobody listens on.
struct Listener {
  int fd = -1;
  int port = 0;
};

Listener listen_loopback(bool keep_listening) {
  Listener l;
  l.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(l.fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(l.fd, reinterpret_cast<sockaddr*>(&address), &length);
  l.port = ntohs(address.sin_port);
  if (keep_listening) {
    ::listen(l.fd, 64);
  } else {
    ::close(l.fd);
    l.fd = -1;
  }
  return l;
}

// Stand-in probe: connect, send GET /health, wait for any byte until stopped.
class RawProbeBackend final : public llm::Backend {
 public:
  explicit RawProbeBackend(int port) : m_port(port) {}
  BackendType type() const override { return BackendType::openai; }
  std::string name() const override { return "probe"; }
  bool is_local() const override { return true; }
  Result<llm::Completion> complete(const llm::CompletionRequest&, const llm::TokenSink&, std::stop_token) override {
    return fail(ErrorCode::unavailable, "probe only");
  }
  Result<llm::HealthStatus> check_health(std::stop_token stop) override {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(m_port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      return fail(ErrorCode::unavailable, "connection refused");
    }
    const char request[] = "GET /health HTTP/1.0\r\n\r\n";
    if (::send(fd, request, sizeof request - 1, MSG_NOSIGNAL) < 0) {
      ::close(fd);
      return fail(ErrorCode::unavailable, "send failed");
    }
    pollfd p{fd, POLLIN, 0};
    while (!stop.stop_requested()) {
      if (::poll(&p, 1, 5) > 0) break;
    }
    ::close(fd);
    if (stop.stop_requested()) return fail(ErrorCode::cancelled, "stopped");
    llm::HealthStatus status;
    status.healthy = true;
    return status;
  }

 private:
  int m_port;
};

int port_of(const std::string& endpoint) { return std::stoi(endpoint.substr(endpoint.rfind(':') + 1)); }

void BM_ColdHealthCheck(benchmark::State& state) {
  const int hung = static_cast<int>(state.range(0));
  const int dead = static_cast<int>(state.range(1));
  const auto timeout = std::chrono::milliseconds(state.range(2));
  std::vector<Listener> listeners;
  std::vector<BackendInstance> instances;
  for (int i = 0; i < hung + dead; ++i) {
    listeners.push_back(listen_loopback(i < hung));
    BackendInstance instance;
    instance.name = (i < hung ? "hung-" : "dead-") + std::to_string(i);
    instance.type = BackendType::openai;
    instance.endpoint = "http://127.0.0.1:" + std::to_string(listeners.back().port);
    instances.push_back(instance);
  }
  BackendFactory factory = default_backend_factory();
  const bool real = static_cast<bool>(factory(instances.front()));
  if (!real) {
    factory = [](const BackendInstance& i) -> Result<std::unique_ptr<llm::Backend>> {
      return std::unique_ptr<llm::Backend>(std::make_unique<RawProbeBackend>(port_of(i.endpoint)));
    };
  }
  const HealthChecker checker(factory, fixed_now, timeout);
  std::vector<const BackendInstance*> all;
  for (const auto& i : instances) all.push_back(&i);
  double parallel_ms = 0, sequential_ms = 0;
  for (auto _ : state) {
    auto start = SteadyClock::now();
    benchmark::DoNotOptimize(checker.check_all(all, {}));
    parallel_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
    state.PauseTiming();
    start = SteadyClock::now();
    for (const auto* i : all) benchmark::DoNotOptimize(checker.check(*i, {}));
    sequential_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
    state.ResumeTiming();
  }
  for (auto& l : listeners) {
    if (l.fd >= 0) ::close(l.fd);
  }
  state.counters["parallel_ms"] = parallel_ms;
  state.counters["sequential_ms"] = sequential_ms;
  state.counters["timeout_ms"] = static_cast<double>(timeout.count());
  state.counters["parallel_over_sequential"] = parallel_ms / sequential_ms;
  state.SetLabel(real ? "openai backend" : "raw-socket probe (openai backend unavailable in this build)");
}
BENCHMARK(BM_ColdHealthCheck)->Args({10, 10, 200})->Args({50, 50, 200})->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cmdai::routing

BENCHMARK_MAIN();
