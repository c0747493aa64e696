#pragma once
// CommandPipeline: one call from a request to a validated, recorded command:
// selector -> generator (with fallback) -> validator -> history.
//
// Backend instances come from the configuration (backend_configs), an
// installed GGUF model, and the command line: `--backend TYPE --endpoint URL
// --model NAME` with no config file is a usable instance of its own.
// Routing figures (health, response times) live in the history database's
// backend_metrics table; a stale health cache is refreshed in the
// background while the request runs, and that thread is joined before run()
// returns.

#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "config/configuration.h"
#include "core/entities.h"
#include "core/env.h"
#include "core/error.h"
#include "core/paths.h"
#include "generation/streaming_generator.h"
#include "routing/health_checker.h"
#include "routing/instance.h"
#include "routing/metrics_store.h"
#include "routing/model_info.h"
#include "routing/performance_monitor.h"
#include "routing/registry.h"
#include "routing/selector.h"
#include "safety/validation_result.h"

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

  // The instances the selector knows for this configuration and options.
  // Configured entries whose type cannot be told are left out and named in
  // warnings (when given).
  std::vector<routing::BackendInstance> instances(const PipelineOptions& options,
                                                  std::vector<std::string>* warnings = nullptr) const;
  // The same, validated. Errors: invalid_argument for a bad instance.
  Result<routing::Registry> registry(const PipelineOptions& options,
                                     std::vector<std::string>* warnings = nullptr) const;

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
  void validate(PipelineResult& result, const PipelineOptions& options) const;
  void record_history(const std::string& request, const PipelineOptions& options, PipelineResult& result) const;

  Env& m_env;
  Paths m_paths;
  config::ConfigurationState m_config;
  routing::BackendFactory m_factory;
  routing::ModelInfoProbe m_model_info;
  routing::PerformanceMonitor m_monitor;
};

}  // namespace cmdai::pipeline
