#pragma once
// RoutingPlan: what one request routes over - the configured and
// command-line instances (backend_instances.h), their models where they
// name none, and the servers discovery found on this machine - with the
// selection criteria and the health checks to run in the background.
//
// Discovery (routing/discovery.h) joins a request when it is needed: no
// configured instance can answer (selection over them alone would fall to
// the rules), or the preferred backend is a type with no instance
// (backend.preferred = "vllm", --backend ollama). backend.discover = false
// turns the first off; a type named explicitly is still looked for where
// its servers usually run. A preferred type that is nowhere to be found
// becomes a note and the choice is made as for "auto" - never an error
// while something can answer.
//
// Probing is paid for only when there is nothing to go on: a request
// probes synchronously the records it has never had, and stale ones only
// when none of them answered last time (closed loopback ports refuse in
// microseconds); other stale records are refreshed in the background while
// the request runs. Results live in the health cache (backend_metrics).
//
// An instance without a model gets one chosen from its server's list
// (routing/model_choice.h), from the same cache.

#include <filesystem>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "config/configuration.h"
#include "core/env.h"
#include "core/error.h"
#include "routing/discovery.h"
#include "routing/health_checker.h"
#include "routing/registry.h"
#include "routing/selector.h"

namespace cmdai::pipeline {

struct PipelineOptions;

// Moves or leaves out the places discovery looks: "ollama=11500,vllm=0".
inline constexpr std::string_view k_discover_ports_var = "CMDAI_DISCOVER_PORTS";

enum class DiscoveryMode {
  when_needed,  // a request: discovery joins as described above
  listed,       // backends list, doctor: every place, unless backend.discover = false
  forced,       // backends discover/save: every place, whatever backend.discover says
};

enum class ProbePolicy {
  cached_only,   // never probe (backends metrics)
  cached_first,  // a request: probe now only what selection cannot do without
  if_stale,      // probe every missing or stale record now
  now,           // probe every place now, fresh or not
};

struct RoutingPlan {
  routing::Registry registry;
  routing::SelectionCriteria criteria;
  std::vector<routing::FoundServer> servers;         // the places looked at, with their newest records
  std::vector<routing::BackendInstance> to_refresh;  // stale: check in the background during the request
  std::vector<std::string> warnings;                 // skipped instances, bad OLLAMA_HOST ...: once per run
  std::vector<std::string> notes;                    // e.g. the preferred type was found nowhere
};

struct PlanInputs {
  const Env& env;
  const config::ConfigurationState& config;
  const PipelineOptions& options;
  std::filesystem::path models_dir;
};

// Errors: invalid_argument for an instance given on the command line that
// cannot work (configured ones are skipped with a warning instead).
Result<RoutingPlan> plan_routing(const PlanInputs& inputs, routing::PerformanceMonitor& monitor,
                                 const routing::HealthChecker& checker, DiscoveryMode mode, ProbePolicy policy,
                                 std::stop_token stop);

// What selection asks for these options and configuration: the preference
// (--backend, else --endpoint's openai, else backend.preferred), --no-
// fallback, the fallback chain and model requirements. An instance spelled
// out with --endpoint is tried whatever its cached health says.
routing::SelectionCriteria selection_criteria(const PipelineOptions& options, const config::ConfigurationState& config);

// OLLAMA_HOST and CMDAI_DISCOVER_PORTS; a bad value is a warning and ignored.
routing::DiscoverySettings discovery_settings(const Env& env, std::vector<std::string>& warnings);

}  // namespace cmdai::pipeline
