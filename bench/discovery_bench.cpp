// What discovery costs a request, in process (bench/discovery_bench.sh
// measures whole cmdai processes against the binary before discovery).
//
// BM_ProbeNothingRunning: probing the four places discovery looks when no
// server runs (closed loopback ports: refused before any HTTP) and
// recording the answers - what the first request on a fresh home pays.
//
// BM_Routing/baseline: building the instances and registry and selecting,
// as every request did before discovery; BM_Routing/warm: the same request
// routed by plan_routing with the health cache holding fresh records of
// the four places (the steady state). The difference is what discovery adds
// to a request whose cache is warm (bench/discovery_bench.sh prints it).

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "pipeline/backend_instances.h"
#include "pipeline/command_pipeline.h"
#include "pipeline/routing_plan.h"
#include "routing/discovery.h"
#include "support/fake_env.h"
#include "tools/llama_server.h"

namespace cmdai::pipeline {
namespace {

// The four places, on ports nothing listens on.
std::string closed_ports() {
  std::string out;
  for (const char* name : {"ollama", "llama-server", "lmstudio", "vllm"}) {
    out += (out.empty() ? "" : ",") + std::string(name) + "=" + std::to_string(testing::free_loopback_port());
  }
  return out;
}

routing::HealthChecker checker(const Env& env) {
  return routing::HealthChecker(routing::default_backend_factory(), [&env] { return env.now(); });
}

void BM_ProbeNothingRunning(benchmark::State& state) {
  testing::FakeEnv env;
  env.set_var(std::string(k_discover_ports_var), closed_ports());
  std::vector<std::string> warnings;
  std::vector<routing::BackendInstance> places;
  for (const auto& target : routing::discovery_targets(discovery_settings(env, warnings), warnings))
    places.push_back(routing::target_instance(target));
  const auto check = checker(env);
  for (auto _ : state) {
    routing::PerformanceMonitor monitor;
    auto records = routing::probe_servers(places, check, monitor, [&env] { return env.now(); }, {});
    if (records.size() != 4 || records[0].healthy) state.SkipWithError("a place answered");
    benchmark::DoNotOptimize(records);
  }
}
BENCHMARK(BM_ProbeNothingRunning)->Unit(benchmark::kMicrosecond);

// 0: baseline (instances, registry, select); 1: plan_routing on a warm cache, then select.
void BM_Routing(benchmark::State& state) {
  testing::FakeEnv env;
  env.set_var(std::string(k_discover_ports_var), closed_ports());
  const config::ConfigurationState config;
  const PipelineOptions options;
  routing::PerformanceMonitor monitor;
  const auto check = checker(env);
  const PlanInputs inputs{env, config, options, "/nonexistent/models"};
  // Fill the cache once: the four places, "nothing listening", just now.
  if (!plan_routing(inputs, monitor, check, DiscoveryMode::when_needed, ProbePolicy::cached_first, {})) {
    state.SkipWithError("plan");
    return;
  }
  const bool warm = state.range(0) == 1;
  for (auto _ : state) {
    if (warm) {
      auto plan = plan_routing(inputs, monitor, check, DiscoveryMode::when_needed, ProbePolicy::cached_first, {});
      benchmark::DoNotOptimize(routing::BackendSelector(plan->registry, monitor).select(plan->criteria, env.now()));
    } else {
      std::vector<std::string> warnings;
      auto registry = routing::Registry::create(backend_instances(config, options, inputs.models_dir, warnings));
      benchmark::DoNotOptimize(
          routing::BackendSelector(*registry, monitor).select(selection_criteria(options, config), env.now()));
    }
  }
}
BENCHMARK(BM_Routing)->ArgName("warm")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace cmdai::pipeline

BENCHMARK_MAIN();
