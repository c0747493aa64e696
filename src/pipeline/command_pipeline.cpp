#include "pipeline/command_pipeline.h"

#include <chrono>
#include <filesystem>

#include "core/log.h"
#include "core/uuid.h"
#include "history/history_store.h"
#include "safety/validator.h"

namespace cmdai::pipeline {
namespace {

// The first GGUF file in the models directory, if any.
std::optional<std::filesystem::path> installed_model(const std::filesystem::path& models_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(models_dir, ec)) return std::nullopt;
  for (const auto& entry : std::filesystem::directory_iterator(models_dir, ec)) {
    if (entry.path().extension() == ".gguf") return entry.path();
  }
  return std::nullopt;
}

}  // namespace

CommandPipeline::CommandPipeline(Env& env, Paths paths, config::ConfigurationState config)
    : m_env(env), m_paths(std::move(paths)), m_config(std::move(config)) {}

std::vector<routing::BackendInstance> CommandPipeline::instances(const PipelineOptions& options) const {
  std::vector<routing::BackendInstance> out;
  std::optional<std::filesystem::path> model;
  if (options.model && options.model->ends_with(".gguf")) {
    model = *options.model;
  } else {
    model = installed_model(m_paths.models_dir);
  }
  if (model) out.push_back({"llama", BackendType::llama, "", model->string(), true});
  // --backend ollama|openai|vllm|mlx [--endpoint URL] [--model NAME] without any config.
  if (auto type = options.backend ? parse_backend_type(*options.backend) : fail(ErrorCode::not_found, "");
      type && *type != BackendType::llama && *type != BackendType::rules) {
    out.push_back({*options.backend, *type, options.endpoint.value_or(""), options.model.value_or(""), false});
  }
  out.push_back({"rules", BackendType::rules, "", "", true});
  return out;
}

Result<PipelineResult> CommandPipeline::run(const std::string& request, const PipelineOptions& options,
                                            const generation::EventSink& on_event, std::stop_token stop) {
  routing::BackendSelector selector(instances(options));
  routing::SelectionCriteria criteria;
  criteria.preferred = options.backend;
  if (!criteria.preferred && m_config.preferred_backend) {
    criteria.preferred = std::string(to_string(*m_config.preferred_backend));
  }
  auto selection = selector.select(criteria);
  if (!selection) return fail(selection.error());
  log::debug("selected=" + selection->selected_backend + " reason=" + selection->selection_reason);

  PipelineResult result;
  std::vector<std::string> chain{selection->selected_backend};
  chain.insert(chain.end(), selection->fallback_chain.begin(), selection->fallback_chain.end());
  std::optional<Error> last_error;
  bool generated = false;
  for (const std::string& name : chain) {
    const routing::BackendInstance* instance = selector.find(name);
    auto backend = selector.create(*instance);
    if (!backend) {
      last_error = backend.error();
      result.notices.push_back(name + " is unavailable (" + backend.error().message + "); trying the next backend");
      continue;
    }
    generation::StreamingGenerator generator(**backend);
    generation::GenerationRequest generation_request{request, options.shell, options.userland,
                                                     options.working_directory};
    log::StageTimer timer("generation");
    auto generation = generator.generate(generation_request, on_event, stop);
    if (!generation) {
      if (generation.error().code == ErrorCode::cancelled) return fail(generation.error());
      last_error = generation.error();
      if (generation.error().code != ErrorCode::unavailable && generation.error().code != ErrorCode::timeout) break;
      if (name != chain.back()) result.notices.push_back(name + " could not answer; trying the next backend");
      continue;
    }
    result.generation = std::move(*generation);
    result.backend_used = name;
    generated = true;
    break;
  }
  if (!generated) return fail(last_error.value_or(Error{ErrorCode::unavailable, "no backend could answer", {}}));

  {
    log::StageTimer timer("validation");
    const auto start = std::chrono::steady_clock::now();
    safety::ValidationContext context;
    context.working_directory = options.working_directory;
    context.home_directory = m_env.home_dir();
    context.shell = options.shell;
    context.is_root = m_env.is_root();
    result.validation = safety::Validator{}.validate(result.generation.command, context);
    result.generation.safety_validated = true;
    result.validation_time = std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
  }

  if (options.record_history && m_config.history_enabled) {
    log::StageTimer timer("history");
    CommandHistoryEntry entry;
    entry.id = make_uuid_v4();
    entry.timestamp = m_env.now();
    entry.command = result.generation.command;
    entry.user_input = request;
    entry.explanation = result.generation.explanation;
    entry.shell_type = options.shell;
    entry.working_directory = options.working_directory;
    ExecutionMetadata execution;
    execution.backend_used = result.backend_used;
    execution.generation_time = result.generation.generation_time;
    execution.validation_time = result.validation_time;
    entry.execution_metadata = execution;
    entry.safety_metadata = SafetyMetadata{result.validation.risk_level, result.validation.patterns_matched, false,
                                           result.validation.safety_score};
    auto store = history::HistoryStore::open(m_paths.history_db);
    auto stored = store ? store->insert(entry) : Result<void>(fail(store.error()));
    if (stored) {
      result.history_id = entry.id;
    } else {
      result.notices.push_back("the command was not saved to history: " + stored.error().describe());
    }
  }
  return result;
}

}  // namespace cmdai::pipeline
