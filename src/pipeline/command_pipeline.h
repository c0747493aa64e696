#pragma once
// CommandPipeline: one call from a request to a validated, recorded command:
// selector -> generator -> validator -> history.

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
};

struct PipelineResult {
  generation::GenerationResult generation;
  safety::ValidationResult validation;
  std::string backend_used;
  std::optional<std::string> history_id;  // unset when history is off or writing failed
  std::vector<std::string> notices;       // one-line messages for the user (fallbacks, history errors)
  Micros validation_time{0};
};

class CommandPipeline {
 public:
  CommandPipeline(Env& env, Paths paths, config::ConfigurationState config);

  Result<PipelineResult> run(const std::string& request, const PipelineOptions& options,
                             const generation::EventSink& on_event, std::stop_token stop);

  // The instances the selector knows for this configuration and options.
  std::vector<routing::BackendInstance> instances(const PipelineOptions& options) const;

 private:
  Env& m_env;
  Paths m_paths;
  config::ConfigurationState m_config;
};

}  // namespace cmdai::pipeline
