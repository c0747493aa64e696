// Routing benchmarks.
//
// BM_SelectCached/N: BackendSelector::select over N instances whose health
// and response times are cached (what every request pays). Counters p50_us
// and p99_us are per-call latencies over all iterations; the goal is p99 < 1 ms.
//
// BM_LoadAndSelect/N: what a new process pays before its first request:
// open the database, load N instances' backend_metrics rows, select.
//
// BM_ColdHealthCheck: HealthChecker::check_all over real llama-server
// processes, dead ports and hanging listeners, against the same checks one
// after another in the same run (see the function's comment).

#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "routing/health_checker.h"
#include "routing/metrics_store.h"
#include "routing/selector.h"
#include "tools/llama_server.h"

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
    monitor.record_health(metrics_key(instance), {i % 7 != 3, "ok", Micros{500}, fixed_now()});
    for (int k = 0; k < 20; ++k) {
      monitor.record_request(metrics_key(instance),
                             {fixed_now(), Micros{100'000 + (i * 7919 + k * 104729) % 400'000}, std::nullopt,
                              k % 10 == 0 ? Outcome::failure : Outcome::success, ""});
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
  criteria.chain_order = {"llama", "ollama", "rules"};  // the default backend.fallback_chain
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
      monitor.record_health(metrics_key(instance), {true, "ok", Micros{500}, fixed_now()});
      for (int k = 0; k < static_cast<int>(k_sample_window); ++k) {
        monitor.record_request(metrics_key(instance), {fixed_now(), Micros{100'000 + (i * 7919 + k * 104729) % 400'000},
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

BackendInstance openai_instance(const std::string& name, const std::string& endpoint) {
  BackendInstance instance;
  instance.name = name;
  instance.type = BackendType::openai;
  instance.endpoint = endpoint;
  instance.model = "chat";
  return instance;
}

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

double millis_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// Cold health check of real backends: llama-server processes on loopback
// (CMDAI_LLAMA_SERVER, CMDAI_TEST_CHAT_MODEL; bench/routing_bench.sh sets
// both), ports nobody listens on, and listeners that accept and never
// answer. check_all (parallel, what `cmdai backends health` and the
// background refresh run, with the model-info probe) against the same
// instances checked one after another in the same run: the parallel total
// is bounded by the slowest single check (the hanging listener's timeout),
// not by the sum.
void BM_ColdHealthCheck(benchmark::State& state) {
  const int servers = static_cast<int>(state.range(0));
  const int dead = static_cast<int>(state.range(1));
  const int hung = static_cast<int>(state.range(2));
  const auto timeout = std::chrono::milliseconds(state.range(3));
  const std::string binary = env_or_empty("CMDAI_LLAMA_SERVER");
  const std::string model = env_or_empty("CMDAI_TEST_CHAT_MODEL");
  if (binary.empty() || model.empty() || !std::filesystem::exists(binary) || !std::filesystem::exists(model)) {
    state.SkipWithError("needs CMDAI_LLAMA_SERVER and CMDAI_TEST_CHAT_MODEL (run bench/routing_bench.sh)");
    return;
  }
  const BackendFactory factory = default_backend_factory();
  if (auto probe = factory(openai_instance("probe", "http://127.0.0.1:1")); !probe) {
    state.SkipWithError(("the openai backend cannot be built: " + probe.error().describe()).c_str());
    return;
  }
  const HealthChecker checker(factory, fixed_now, timeout, http_model_info_probe());
  std::vector<std::unique_ptr<testing::LlamaServer>> processes;
  std::vector<BackendInstance> instances;
  for (int i = 0; i < servers; ++i) {
    processes.push_back(std::make_unique<testing::LlamaServer>(testing::LlamaServerOptions{binary, model, {}, 512}));
    if (!processes.back()->ready()) {
      state.SkipWithError("a llama-server did not become ready");
      return;
    }
    instances.push_back(openai_instance("llama-server-" + std::to_string(i), processes.back()->url()));
  }
  std::vector<Listener> listeners;
  for (int i = 0; i < dead + hung; ++i) {
    listeners.push_back(listen_loopback(i >= dead));
    instances.push_back(openai_instance((i < dead ? "dead-" : "hung-") + std::to_string(i),
                                        "http://127.0.0.1:" + std::to_string(listeners.back().port)));
  }
  std::vector<const BackendInstance*> all;
  for (const auto& i : instances) all.push_back(&i);

  double parallel_ms = 0, sum_ms = 0, slowest_ms = 0, server_ms = 0;
  int healthy = 0, reported_context = 0;
  for (auto _ : state) {
    auto start = SteadyClock::now();
    const auto results = checker.check_all(all, {});
    parallel_ms = millis_since(start);
    healthy = 0;
    for (const auto& r : results) healthy += r.healthy ? 1 : 0;
    if (!results.empty() && results[0].reported) reported_context = results[0].reported->context_length;
    state.PauseTiming();
    sum_ms = slowest_ms = server_ms = 0;
    for (std::size_t k = 0; k < all.size(); ++k) {
      start = SteadyClock::now();
      benchmark::DoNotOptimize(checker.check(*all[k], {}));
      const double one = millis_since(start);
      sum_ms += one;
      slowest_ms = std::max(slowest_ms, one);
      if (k < static_cast<std::size_t>(servers)) server_ms = std::max(server_ms, one);
    }
    state.ResumeTiming();
  }
  for (auto& l : listeners) {
    if (l.fd >= 0) ::close(l.fd);
  }
  state.counters["instances"] = static_cast<double>(all.size());
  state.counters["healthy"] = healthy;                // should equal the number of llama-servers
  state.counters["reported_ctx"] = reported_context;  // the servers run with -c 512
  state.counters["parallel_ms"] = parallel_ms;
  state.counters["sum_ms"] = sum_ms;
  state.counters["slowest_ms"] = slowest_ms;
  state.counters["server_check_ms"] = server_ms;  // slowest real llama-server, /health + /v1/models + /props
  state.counters["timeout_ms"] = static_cast<double>(timeout.count());
  state.counters["parallel_over_sum"] = parallel_ms / sum_ms;
  state.counters["parallel_over_slowest"] = parallel_ms / slowest_ms;
}
BENCHMARK(BM_ColdHealthCheck)
    ->ArgNames({"servers", "dead", "hung", "timeout_ms"})
    ->Args({2, 10, 3, 500})
    ->Args({3, 40, 10, 500})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cmdai::routing

BENCHMARK_MAIN();
