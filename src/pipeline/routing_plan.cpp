#include "pipeline/routing_plan.h"

#include <algorithm>

#include "pipeline/backend_instances.h"
#include "pipeline/command_pipeline.h"
#include "routing/model_choice.h"

namespace cmdai::pipeline {
namespace {

using routing::BackendInstance;
using routing::FoundServer;

bool is_server(BackendType type) { return type != BackendType::rules && type != BackendType::llama; }

// The record a server's model list lives in: its type and endpoint, no model.
BackendInstance server_of(const BackendInstance& instance) {
  BackendInstance server = instance;
  server.model.clear();
  server.model_reason.clear();
  return server;
}

// A type the preference names that no instance has ("vllm" with no vllm
// instance), or nullopt.
std::optional<BackendType> missing_type(const routing::SelectionCriteria& criteria,
                                        const std::vector<BackendInstance>& instances) {
  if (!criteria.preferred || *criteria.preferred == "auto") return std::nullopt;
  const std::string& name = *criteria.preferred;
  auto type = parse_backend_type(name);
  if (!type || *type == BackendType::rules || *type == BackendType::llama) return std::nullopt;
  const auto answers = [&](const BackendInstance& i) { return i.name == name || i.type == *type; };
  if (std::any_of(instances.begin(), instances.end(), answers)) return std::nullopt;
  return *type;
}

// True when selection over these instances alone finds a model backend
// (or the rules were asked for, or the preference is unknown: that error
// is the selector's to report).
bool configured_can_answer(const std::vector<BackendInstance>& instances, const routing::SelectionCriteria& criteria,
                           const routing::PerformanceMonitor& monitor, Timestamp now) {
  auto registry = routing::Registry::create(instances);
  if (!registry) return true;
  auto selection = routing::BackendSelector(*registry, monitor).select(criteria, now);
  if (!selection) return true;
  return selection->instance != "rules" || selection->selection_reason.starts_with("preference: rules");
}

// Server records to probe now, and those to refresh in the background.
struct ProbeSplit {
  std::vector<BackendInstance> now;
  std::vector<BackendInstance> later;
};

ProbeSplit split_probes(const std::vector<BackendInstance>& servers, const routing::PerformanceMonitor& monitor,
                        ProbePolicy policy, Timestamp now) {
  ProbeSplit split;
  bool any_up = false;
  for (const auto& server : servers) {
    const auto stats = monitor.stats(routing::metrics_key(server));
    any_up = any_up || (stats.health && stats.health->healthy);
  }
  if (policy == ProbePolicy::cached_only) return split;
  for (const auto& server : servers) {
    const auto stats = monitor.stats(routing::metrics_key(server));
    const bool missing = !stats.health;
    const bool stale = routing::is_stale(stats, now);
    if (policy == ProbePolicy::now || (stale && (policy == ProbePolicy::if_stale || missing || !any_up))) {
      split.now.push_back(server);
    } else if (stale) {
      split.later.push_back(server);
    }
  }
  return split;
}

// Instances without a model get one from their server's cached list.
void choose_models(std::vector<BackendInstance>& instances, const routing::PerformanceMonitor& monitor) {
  for (auto& instance : instances) {
    if (!is_server(instance.type) || !instance.model.empty()) continue;
    const auto health = monitor.stats(routing::metrics_key(server_of(instance))).health;
    if (!health) continue;
    if (auto choice = routing::choose_model(health->models, health->embedding_models)) {
      instance.model = choice->model;
      instance.model_reason = choice->reason;
    }
  }
}

std::vector<BackendInstance> unique_servers(std::vector<BackendInstance> servers) {
  std::vector<BackendInstance> out;
  for (auto& server : servers) {
    const auto key = routing::metrics_key(server);
    const auto same = [&](const BackendInstance& s) { return routing::metrics_key(s) == key; };
    if (std::none_of(out.begin(), out.end(), same)) out.push_back(std::move(server));
  }
  return out;
}

std::string looked_at(const std::vector<FoundServer>& servers, BackendType type) {
  std::string out;
  for (const auto& found : servers) {
    if (found.target.type != type) continue;
    out += (out.empty() ? "" : ", ") + found.target.endpoint;
    if (found.health) out += " (" + found.health->detail + ")";
  }
  return out;
}

}  // namespace

routing::SelectionCriteria selection_criteria(const PipelineOptions& options,
                                              const config::ConfigurationState& config) {
  routing::SelectionCriteria criteria;
  criteria.preferred = options.backend;
  if (!criteria.preferred && options.endpoint) criteria.preferred = "openai";
  // backend.preferred names an instance or a type; preferred_backend is its type.
  if (!criteria.preferred && config.preferred_instance) criteria.preferred = *config.preferred_instance;
  if (!criteria.preferred && config.preferred_backend)
    criteria.preferred = std::string(to_string(*config.preferred_backend));
  if (options.endpoint) criteria.preferred_health = routing::PreferredHealth::ignore_cache;
  criteria.fallback = options.fallback;
  criteria.chain_order = config.fallback_instances;
  criteria.min_context_length = config.model_requirements.min_context_length;
  criteria.capabilities = config.model_requirements.capabilities;
  criteria.model_family = config.model_requirements.model_family;
  return criteria;
}

routing::DiscoverySettings discovery_settings(const Env& env, std::vector<std::string>& warnings) {
  routing::DiscoverySettings settings;
  settings.ollama_host = env.get_var("OLLAMA_HOST");
  if (auto ports = env.get_var(k_discover_ports_var); ports && !ports->empty()) {
    auto parsed = routing::parse_discovery_ports(*ports);
    if (parsed) {
      settings.ports = std::move(*parsed);
    } else {
      warnings.push_back(std::string(k_discover_ports_var) + ": " + parsed.error().describe() + "; ignored");
    }
  }
  return settings;
}

}  // namespace cmdai::pipeline

namespace cmdai::pipeline {
namespace {

// Where discovery looks for this request.
struct Scope {
  std::vector<routing::DiscoveryTarget> targets;
  bool automatic = false;              // every known place (not only the missing type's)
  std::optional<BackendType> missing;  // a preferred type no instance has
};

Scope discovery_scope(const PlanInputs& in, DiscoveryMode mode, const std::vector<BackendInstance>& instances,
                      const routing::SelectionCriteria& criteria, const routing::PerformanceMonitor& monitor,
                      std::vector<std::string>& warnings) {
  Scope scope;
  scope.missing = missing_type(criteria, instances);
  routing::SelectionCriteria as_auto = criteria;
  if (scope.missing) as_auto.preferred.reset();
  scope.automatic = mode == DiscoveryMode::forced ||
                    (in.config.discover_servers && (mode == DiscoveryMode::listed ||
                                                    !configured_can_answer(instances, as_auto, monitor, in.env.now())));
  if (!scope.automatic && !scope.missing) return scope;
  for (auto& target : routing::discovery_targets(discovery_settings(in.env, warnings), warnings)) {
    if (scope.automatic || target.type == *scope.missing) scope.targets.push_back(std::move(target));
  }
  return scope;
}

// Probes what the policy says must be known now; the rest of the stale
// records go to `later`.
struct Prober {
  const PlanInputs& in;
  routing::PerformanceMonitor& monitor;
  const routing::HealthChecker& checker;
  ProbePolicy policy;
  std::stop_token stop;
  std::vector<BackendInstance>& later;

  void operator()(std::vector<BackendInstance> servers) const {
    auto split = split_probes(unique_servers(std::move(servers)), monitor, policy, in.env.now());
    if (!split.now.empty()) {
      routing::probe_servers(
          split.now, checker, monitor, [this] { return in.env.now(); }, stop);
    }
    later.insert(later.end(), split.later.begin(), split.later.end());
  }
};

// A preference naming a configured instance that was skipped (its warning
// says why) is set aside rather than reported as unknown.
void set_aside_skipped(const config::ConfigurationState& config, const std::vector<BackendInstance>& instances,
                       routing::SelectionCriteria& criteria, std::vector<std::string>& notes) {
  if (!criteria.preferred || config.backend_configs.count(*criteria.preferred) == 0) return;
  const auto named = [&](const BackendInstance& i) { return i.name == *criteria.preferred; };
  if (std::any_of(instances.begin(), instances.end(), named)) return;
  notes.push_back("backend '" + *criteria.preferred + "' is skipped (see the warning); choosing automatically");
  criteria.preferred.reset();
}

// Adds what discovery found: everything when it looked everywhere, else the
// missing type's servers. --backend TYPE --model NAME picks the model there.
void adopt_discovered(std::vector<BackendInstance> found, const Scope& scope, const PipelineOptions& options,
                      std::vector<BackendInstance>& instances) {
  for (auto& instance : found) {
    const bool of_missing = scope.missing && instance.type == *scope.missing;
    if (!scope.automatic && !of_missing) continue;
    if (of_missing && options.model && !options.model->ends_with(".gguf")) {
      instance.model = *options.model;
      instance.model_reason.clear();
    }
    instances.push_back(std::move(instance));
  }
}

Result<void> settle_missing_type(const Scope& scope, const std::vector<BackendInstance>& instances,
                                 const std::vector<FoundServer>& servers, routing::SelectionCriteria& criteria,
                                 std::vector<std::string>& notes) {
  if (!scope.missing) return {};
  const auto of_type = [&](const BackendInstance& i) { return i.type == *scope.missing; };
  if (std::any_of(instances.begin(), instances.end(), of_type)) return {};
  const std::string type(to_string(*scope.missing));
  const std::string places = looked_at(servers, *scope.missing);
  const std::string what = "no " + type + " backend is configured" +
                           (places.empty() ? std::string() : " or answering (looked at " + places + ")");
  if (criteria.fallback == routing::FallbackPolicy::disallowed) {
    return fail(ErrorCode::unavailable, what,
                "configure one (backend.instances.NAME) or pass --endpoint; without --no-fallback another backend "
                "answers");
  }
  notes.push_back(what + "; choosing automatically");
  criteria.preferred.reset();
  return {};
}

std::vector<BackendInstance> model_less_servers(const std::vector<BackendInstance>& instances) {
  std::vector<BackendInstance> out;
  for (const auto& instance : instances) {
    if (is_server(instance.type) && instance.model.empty()) out.push_back(server_of(instance));
  }
  return out;
}

void add_stale_instances(const routing::Registry& registry, const routing::PerformanceMonitor& monitor, Timestamp now,
                         std::vector<BackendInstance>& later) {
  for (const auto& instance : registry.instances()) {
    if (instance.type == BackendType::rules) continue;
    if (routing::is_stale(monitor.stats(routing::metrics_key(instance)), now)) later.push_back(instance);
  }
}

}  // namespace

Result<RoutingPlan> plan_routing(const PlanInputs& in, routing::PerformanceMonitor& monitor,
                                 const routing::HealthChecker& checker, DiscoveryMode mode, ProbePolicy policy,
                                 std::stop_token stop) {
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
  std::vector<BackendInstance> later;
  const Prober probe{in, monitor, checker, policy, stop, later};
  auto instances = backend_instances(in.config, in.options, in.models_dir, warnings);
  auto criteria = selection_criteria(in.options, in.config);
  set_aside_skipped(in.config, instances, criteria, notes);
  probe(model_less_servers(instances));
  choose_models(instances, monitor);

  const Scope scope = discovery_scope(in, mode, instances, criteria, monitor, warnings);
  std::vector<BackendInstance> places;
  for (const auto& target : scope.targets) places.push_back(routing::target_instance(target));
  probe(places);
  auto servers = routing::cached_servers(scope.targets, monitor);
  adopt_discovered(routing::discovered_instances(servers, instances), scope, in.options, instances);
  CMDAI_TRY(settle_missing_type(scope, instances, servers, criteria, notes));

  auto registry = routing::Registry::create(std::move(instances));
  if (!registry) return fail(registry.error());
  add_stale_instances(*registry, monitor, in.env.now(), later);
  return RoutingPlan{std::move(*registry), std::move(criteria), std::move(servers), unique_servers(std::move(later)),
                     std::move(warnings),  std::move(notes)};
}

}  // namespace cmdai::pipeline
