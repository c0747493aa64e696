// cmdai backends list|health|discover|save|metrics|reset-metrics

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "cli/backends_context.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "config/configuration.h"
#include "core/entity_json.h"
#include "core/terminal_text.h"
#include "core/time.h"
#include "pipeline/command_pipeline.h"
#include "routing/discovery.h"
#include "routing/health_checker.h"
#include "routing/metrics_store.h"

namespace cmdai::cli {
namespace {

struct Action {
  std::string_view name;
  pipeline::DiscoveryMode discovery;
  pipeline::ProbePolicy probe;
};

// What each subcommand may probe: list looks again at what is stale, health
// and discover at everything, the others only read the cache.
constexpr std::array<Action, 6> k_actions{{
    {"list", pipeline::DiscoveryMode::listed, pipeline::ProbePolicy::if_stale},
    {"health", pipeline::DiscoveryMode::listed, pipeline::ProbePolicy::now},
    {"discover", pipeline::DiscoveryMode::forced, pipeline::ProbePolicy::now},
    {"save", pipeline::DiscoveryMode::forced, pipeline::ProbePolicy::if_stale},
    {"metrics", pipeline::DiscoveryMode::listed, pipeline::ProbePolicy::cached_only},
    {"reset-metrics", pipeline::DiscoveryMode::listed, pipeline::ProbePolicy::cached_only},
}};

Result<std::unique_ptr<BackendsContext>> open_context(Invocation& inv, pipeline::CommandPipeline& pipeline,
                                                      const Action& action) {
  pipeline::PipelineOptions options;
  options.backend = inv.args.value("backend");
  options.endpoint = inv.args.value("endpoint");
  options.model = inv.args.value("model");
  auto store = routing::MetricsStore::open(inv.paths.history_db);
  if (!store) return fail(store.error());
  auto load_warnings = store->load_into(pipeline.monitor());
  if (!load_warnings) return fail(load_warnings.error());
  for (const auto& warning : *load_warnings) inv.err << "cmdai: warning: " << terminal_text(warning) << "\n";
  auto plan = pipeline.plan(options, action.discovery, action.probe, std::stop_token{});
  if (!plan) return fail(plan.error());
  for (const auto& warning : plan->warnings) inv.err << "cmdai: warning: " << terminal_text(warning) << "\n";
  for (const auto& note : plan->notes) inv.err << "cmdai: " << terminal_text(note) << "\n";
  if (auto saved = store->save(pipeline.monitor()); !saved) return fail(saved.error());
  return std::make_unique<BackendsContext>(std::move(*plan), pipeline.monitor(), std::move(*store));
}

nlohmann::json millis_or_null(const routing::InstanceStats& s, Micros value) {
  return s.window_samples > 0 ? nlohmann::json(to_millis(value)) : nlohmann::json(nullptr);
}

// Why the next request would skip this instance, or "".
std::string skipped_because(const BackendsContext& c, const routing::BackendInstance& i,
                            const routing::InstanceStats& s) {
  if (i.type == BackendType::rules) return "";
  return routing::requirement_mismatch(i, s, c.plan.criteria);
}

routing::InstanceStats stats_of(const BackendsContext& c, const routing::BackendInstance& i) {
  return c.monitor.stats(routing::metrics_key(i));
}

nlohmann::json model_json(const routing::BackendInstance& i, const routing::InstanceStats& s) {
  const auto offered = routing::offered_model(i, s);
  return {
      {"context_length", offered.context_length > 0 ? nlohmann::json(offered.context_length) : nlohmann::json()},
      {"context_source", offered.context_source.empty() ? nlohmann::json() : nlohmann::json(offered.context_source)},
      {"capabilities", offered.capabilities},
      {"model_family", offered.model_family.empty() ? nlohmann::json() : nlohmann::json(offered.model_family)}};
}

nlohmann::json instance_json(const routing::BackendInstance& i, const routing::InstanceStats& s) {
  nlohmann::json out{
      {"name", i.name},
      {"type", to_string(i.type)},
      {"endpoint", i.endpoint},
      {"model", i.model},
      {"local", i.local},
      {"healthy", s.health ? nlohmann::json(s.health->healthy) : nlohmann::json(nullptr)},
      {"health_detail", s.health ? nlohmann::json(s.health->detail) : nlohmann::json(nullptr)},
      {"last_health_check", s.health ? nlohmann::json(format_iso8601(s.health->checked_at)) : nlohmann::json(nullptr)},
      {"avg_response_time", millis_or_null(s, s.avg_response_time)},
      {"p95_response_time", millis_or_null(s, s.p95_response_time)},
      {"success_rate", s.window_samples > 0 ? nlohmann::json(s.success_rate) : nlohmann::json(nullptr)},
      {"origin", routing::to_string(i.origin)},
      {"discovered", i.origin == routing::InstanceOrigin::discovered}};
  return out;
}

std::string ms_text(Micros value) { return std::to_string(std::llround(to_millis(value))) + "ms"; }

std::string age_text(Timestamp then, Timestamp now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - then).count();
  if (seconds < 120) return std::to_string(std::max<long long>(seconds, 0)) + "s ago";
  if (seconds < 7200) return std::to_string(seconds / 60) + "m ago";
  return std::to_string(seconds / 3600) + "h ago";
}

std::string health_text(const routing::BackendInstance& i, const routing::InstanceStats& s) {
  if (!s.health) return i.type == BackendType::rules ? "up" : "unchecked";
  return s.health->healthy ? "up" : "down (" + s.health->detail + ")";
}

std::string padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string context_text(const routing::BackendInstance& i, const routing::InstanceStats& s) {
  const auto offered = routing::offered_model(i, s);
  return offered.context_length > 0 ? std::to_string(offered.context_length) : "-";
}

// " [discovered: models a, b]" for a discovered instance, else "".
std::string discovered_text(const BackendsContext& c, const routing::BackendInstance& i) {
  if (i.origin != routing::InstanceOrigin::discovered) return "";
  std::string models;
  for (const auto& m : listed_models(i, c.monitor)) models += (models.empty() ? "" : ", ") + m;
  return " [discovered " + i.server + "; model " + i.model + "; listed: " + models + "]";
}

void print_instances(Invocation& inv, const BackendsContext& c) {
  inv.out << padded("NAME", 14) << padded("TYPE", 8) << padded("WHERE", 30) << padded("LOCAL", 7)
          << padded("LAST CHECK", 11) << padded("P95", 8) << padded("SUCCESS", 8) << padded("CONTEXT", 8) << "HEALTH\n";
  for (const auto& i : c.registry().instances()) {
    const auto s = stats_of(c, i);
    const std::string where = !i.endpoint.empty() ? i.endpoint : (i.model.empty() ? "-" : i.model);
    const std::string skipped = skipped_because(c, i, s);
    inv.out << padded(terminal_text(i.name), 14) << padded(std::string(to_string(i.type)), 8)
            << padded(terminal_text(where), 30) << padded(i.local ? "local" : "remote", 7)
            << padded(s.health ? age_text(s.health->checked_at, inv.env.now()) : "never", 11)
            << padded(s.success_rate > 0 ? ms_text(s.p95_response_time) : "-", 8)
            << padded(s.window_samples > 0 ? std::to_string(std::lround(s.success_rate * 100)) + "%" : "-", 8)
            << padded(context_text(i, s), 8) << terminal_text(health_text(i, s))
            << terminal_text(skipped.empty() ? "" : "; skipped: " + skipped) << terminal_text(discovered_text(c, i))
            << "\n";
  }
}

// The choice the next request would make, and why.
void print_selection(Invocation& inv, const BackendsContext& c) {
  auto selection = routing::BackendSelector(c.registry(), c.monitor).select(c.plan.criteria, inv.env.now());
  if (!selection) return;
  inv.out << "next request: " << terminal_text(selection->instance) << " ("
          << terminal_text(selection->selection_reason) << ")\n";
  std::string chain;
  for (const auto& name : selection->fallback_chain) chain += (chain.empty() ? "" : " -> ") + name;
  if (!chain.empty()) inv.out << "then: " << terminal_text(chain) << "\n";
}

ExitCode run_list(Invocation& inv, BackendsContext& c) {
  if (inv.format == OutputFormat::plain) {
    print_instances(inv, c);
    print_unused_servers(inv, c);
    print_selection(inv, c);
    return ExitCode::ok;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : c.registry().instances()) {
    const auto s = stats_of(c, i);
    nlohmann::json row = instance_json(i, s);
    row.update(model_json(i, s));
    row["models"] = listed_models(i, c.monitor);
    row["model_reason"] = i.model_reason.empty() ? nlohmann::json() : nlohmann::json(i.model_reason);
    const std::string skipped = skipped_because(c, i, s);
    row["skipped_because"] = skipped.empty() ? nlohmann::json() : nlohmann::json(skipped);
    out.push_back(std::move(row));
  }
  write_structured(inv, out);
  return ExitCode::ok;
}

ExitCode run_health(Invocation& inv, BackendsContext& c, const routing::HealthChecker& checker) {
  std::vector<const routing::BackendInstance*> all;
  for (const auto& i : c.registry().instances()) all.push_back(&i);
  const auto results = checker.check_all(all, std::stop_token{});
  for (std::size_t k = 0; k < all.size(); ++k) c.monitor.record_health(routing::metrics_key(*all[k]), results[k]);
  if (auto saved = c.store.save(c.monitor); !saved) return report_error(inv, saved.error());
  return run_list(inv, c);
}

nlohmann::json metrics_json(const routing::BackendInstance& i, const routing::InstanceStats& s) {
  nlohmann::json out = instance_json(i, s);
  out["avg_time_to_first_token"] = millis_or_null(s, s.avg_time_to_first_token);
  out["availability"] = s.availability_samples > 0 ? nlohmann::json(s.availability) : nlohmann::json(nullptr);
  out["total_requests"] = s.total_requests;
  out["successful_requests"] = s.successful_requests;
  out["failed_requests"] = s.failed_requests;
  out["window_samples"] = s.window_samples;
  out["last_error"] = s.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.last_error);
  return out;
}

// The instances, then whatever else backend_metrics remembers (servers
// and models given once on the command line, or no longer configured),
// named by their key.
std::vector<routing::BackendInstance> instances_with_metrics(const BackendsContext& c) {
  std::vector<routing::BackendInstance> out = c.registry().instances();
  for (const auto& entry : c.monitor.all_stats()) {
    const std::string& key = entry.first;
    const auto known = [&](const routing::BackendInstance& i) { return routing::metrics_key(i) == key; };
    if (std::any_of(out.begin(), out.end(), known)) continue;
    const auto parts = routing::parse_metrics_key(key);
    if (!parts) continue;
    routing::BackendInstance gone;
    gone.name = key;
    gone.type = parts->type;
    gone.endpoint = parts->endpoint;
    gone.model = parts->model;
    out.push_back(std::move(gone));
  }
  return out;
}

ExitCode run_metrics(Invocation& inv, BackendsContext& c) {
  const auto instances = instances_with_metrics(c);
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& i : instances) out.push_back(metrics_json(i, stats_of(c, i)));
    write_structured(inv, out);
    return ExitCode::ok;
  }
  for (const auto& i : instances) {
    const auto s = stats_of(c, i);
    inv.out << terminal_text(i.name) << ": " << s.total_requests << " requests, " << s.successful_requests << " ok, "
            << s.failed_requests << " failed";
    if (s.success_rate > 0) {
      inv.out << "; last " << s.window_samples << ": avg " << ms_text(s.avg_response_time) << ", p95 "
              << ms_text(s.p95_response_time) << ", first token " << ms_text(s.avg_time_to_first_token) << ", "
              << std::lround(s.success_rate * 100) << "% success";
    }
    if (s.availability_samples > 0) inv.out << "; availability " << std::lround(s.availability * 100) << "%";
    if (!s.last_error.empty()) inv.out << "; last error: " << terminal_text(s.last_error);
    inv.out << "\n";
  }
  return ExitCode::ok;
}

}  // namespace

std::vector<std::string> listed_models(const routing::BackendInstance& instance,
                                       const routing::PerformanceMonitor& monitor) {
  auto listing = routing::server_listing(instance, monitor);
  return listing ? listing->models : std::vector<std::string>{};
}

ExitCode run_backends(Invocation& inv) {
  const std::string name = inv.words.empty() ? "list" : inv.words[0];
  const auto action = std::find_if(k_actions.begin(), k_actions.end(), [&](const Action& a) { return a.name == name; });
  if (action == k_actions.end()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "unknown backends command '" + name + "'",
                                   "use: cmdai backends list|health|discover|save NAME|metrics|reset-metrics"});
  }
  // --backend is resolved by the registry below, not read as backend.preferred.
  auto overrides = command_line_overrides(inv);
  std::erase_if(overrides, [](const config::Override& o) { return o.source == "--backend"; });
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file, overrides);
  for (const auto& warning : loaded.warnings) inv.err << "cmdai: warning: " << terminal_text(warning) << "\n";
  pipeline::CommandPipeline pipeline(inv.env, inv.paths, loaded.state);
  auto context = open_context(inv, pipeline, *action);
  if (!context) return report_error(inv, context.error());
  if (name == "health") return run_health(inv, **context, pipeline.health_checker());
  if (name == "discover") return run_backends_discover(inv, **context);
  if (name == "save") return run_backends_save(inv, **context);
  if (name == "metrics") return run_metrics(inv, **context);
  if (name == "reset-metrics") {
    if (auto reset = (*context)->store.reset(); !reset) return report_error(inv, reset.error());
    inv.out << "backend metrics cleared\n";
    return ExitCode::ok;
  }
  return run_list(inv, **context);
}

}  // namespace cmdai::cli
