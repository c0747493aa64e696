#pragma once
// CommandPipeline: one call from a request to a validated, recorded command:
// selector -> generator (with fallback) -> validator -> history.
//
// Backend instances come from the configuration (backend_configs), an
// installed GGUF model, the command line (`--backend TYPE --endpoint URL
// --model NAME` with no config file is a usable instance of its own) and,
// when none of those can answer, servers found running on this machine
// (routing_plan.h). The first request a discovered server answers (per
// server and model) adds a notice saying which it is and how to keep it
// or stop looking.
// Routing figures (health, response times) live in the history database's
// backend_metrics table; a stale health cache is refreshed in the
// background while the request runs, and that thread is joined before run()
// returns. After the history write, the new entry's embedding is filled on
// a thread of its own (semantic/pending_embedding.h) while the caller shows
// and runs the command; it is joined when the pipeline is destroyed.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "config/config_watcher.h"
#include "config/configuration.h"
#include "core/entities.h"
#include "core/env.h"
#include "core/error.h"
#include "core/paths.h"
#include "generation/streaming_generator.h"
#include "pipeline/routing_plan.h"
#include "routing/dispatcher.h"
#include "routing/health_checker.h"
#include "routing/instance.h"
#include "routing/metrics_store.h"
#include "routing/model_info.h"
#include "routing/performance_monitor.h"
#include "routing/registry.h"
#include "routing/selector.h"
#include "safety/validation_result.h"
#include "safety/validator.h"
#include "semantic/pending_embedding.h"

namespace cmdai::pipeline {

struct PipelineOptions {
  std::optional<std::string> backend;   // --backend; unset or "auto": selector decides
  std::optional<std::string> endpoint;  // --endpoint for server backends
  std::optional<std::string> model;     // --model NAME|PATH
  ShellType shell = ShellType::bash;
  llm::Userland userland = llm::Userland::gnu;
  std::string working_directory;
  bool record_history = true;
  routing::FallbackPolicy fallback = routing::FallbackPolicy::allowed;  // --no-fallback: disallowed
  bool refresh_stale_health = true;  // check stale instances in the background during the request
};

struct PipelineResult {
  generation::GenerationResult generation;
  safety::ValidationResult validation;
  std::string backend_used;               // the instance that answered (not necessarily the one asked for)
  std::optional<std::string> history_id;  // unset when history is off or writing failed
  std::vector<std::string> notices;       // one-line messages for the user (fallbacks, history errors)
  Micros validation_time{0};
  routing::SelectionResult selection;  // what the selector chose, and why
  // Following a watcher: the changes applied since the previous request.
  std::vector<config::ConfigChange> config_changes;
};

class CommandPipeline {
 public:
  // Real backends; health checks also ask servers what their model offers.
  CommandPipeline(Env& env, Paths paths, config::ConfigurationState config);
  // factory creates backends and model_info asks servers about their model;
  // tests inject fakes (an empty model_info asks nothing).
  CommandPipeline(Env& env, Paths paths, config::ConfigurationState config, routing::BackendFactory factory,
                  routing::ModelInfoProbe model_info = {});

  Result<PipelineResult> run(const std::string& request, const PipelineOptions& options,
                             const generation::EventSink& on_event, std::stop_token stop);

  // Follows watcher (which must outlive the pipeline): run() polls it first,
  // and the changes its subscription receives apply from that request on -
  // safety level and custom patterns (the validator is rebuilt), privacy,
  // retention and history on/off, preferred backend, instances and fallback
  // chain (the registry and selection criteria are rebuilt per request), and
  // the streaming and confirmation settings callers read from
  // configuration().
  CommandPipeline(Env& env, Paths paths, config::ConfigWatcher& watcher,
                  routing::BackendFactory factory = routing::default_backend_factory());
  CommandPipeline(const CommandPipeline&) = delete;
  CommandPipeline& operator=(const CommandPipeline&) = delete;

  // Polls the watcher (when following one); returns the configuration the
  // next request runs with.
  const config::ConfigurationState& refresh();
  const config::ConfigurationState& configuration() const { return m_config; }

  // The instances the selector knows for this configuration and options.
  // Configured entries whose type cannot be told are left out and named in
  // warnings (when given).
  std::vector<routing::BackendInstance> instances(const PipelineOptions& options,
                                                  std::vector<std::string>* warnings = nullptr) const;
  // The same, validated. Errors: invalid_argument for a bad instance.
  Result<routing::Registry> registry(const PipelineOptions& options,
                                     std::vector<std::string>* warnings = nullptr) const;

  // The instances, criteria and background checks of one request (or of
  // `backends list`, doctor): see routing_plan.h. Probes as the policy says
  // and records into monitor().
  Result<RoutingPlan> plan(const PipelineOptions& options, DiscoveryMode mode, ProbePolicy policy,
                           std::stop_token stop);

  // What selection asks of an instance for these options: the preference,
  // --no-fallback, the configured fallback chain and model requirements.
  routing::SelectionCriteria criteria(const PipelineOptions& options) const;
  // A health checker over this pipeline's backends and model probe.
  routing::HealthChecker health_checker() const;

  const routing::BackendFactory& backend_factory() const { return m_factory; }
  // Routing figures of this pipeline (loaded from backend_metrics by run()).
  routing::PerformanceMonitor& monitor() { return m_monitor; }

 private:
  // Opens backend_metrics and loads it into m_monitor; nullopt (logged) when
  // the database cannot be opened: routing then works from memory only.
  std::optional<routing::MetricsStore> load_metrics(std::vector<std::string>& notices);
  Result<PipelineResult> generate(const std::string& request, const PipelineOptions& options,
                                  const generation::EventSink& on_event, std::stop_token stop);
  Result<routing::DispatchResult> dispatch(const std::string& request, const PipelineOptions& options,
                                           const routing::Registry& registry, const routing::SelectionResult& selection,
                                           const generation::EventSink& on_event, std::stop_token stop,
                                           PipelineResult& result);
  void validate(PipelineResult& result, const PipelineOptions& options);
  // The changes the subscription collected, applied to m_config.
  std::vector<config::ConfigChange> take_changes();
  void record_history(const std::string& request, const PipelineOptions& options, PipelineResult& result) const;

  Env& m_env;
  Paths m_paths;
  config::ConfigurationState m_config;
  routing::BackendFactory m_factory;
  routing::ModelInfoProbe m_model_info;
  routing::PerformanceMonitor m_monitor;
  std::unique_ptr<semantic::PendingEmbedding> m_embedding;  // the last run's; joined on destruction
  std::optional<safety::Validator> m_validator;  // built from m_config's custom patterns; reset when they change
  std::string m_validator_problem;               // why m_validator has no custom patterns, or ""
  config::ConfigWatcher* m_watcher = nullptr;
  std::mutex m_changes_mutex;                              // the subscription may run on another thread's poll()
  std::vector<config::ConfigChange> m_changes;             // received, not yet applied
  std::vector<config::ConfigChange> m_unreported;          // applied, not yet in a PipelineResult
  config::LiveConfiguration::Subscription m_subscription;  // last: unsubscribes before the rest goes
};

}  // namespace cmdai::pipeline
