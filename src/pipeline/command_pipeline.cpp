#include "pipeline/command_pipeline.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/log.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "history/history_store.h"
#include "pipeline/backend_instances.h"
#include "pipeline/embedding_servers.h"
#include "pipeline/habits.h"
#include "pipeline/routing_plan.h"
#include "pipeline/settings.h"
#include "routing/dispatcher.h"
#include "routing/health_checker.h"
#include "routing/metrics_store.h"
#include "rules/value_check.h"
#include "safety/validator.h"

namespace cmdai::pipeline {

namespace {
// Larger than any request a person types or a local model's context holds;
// refused before anything is sent or stored.
constexpr std::size_t k_max_request_bytes = 64 * 1024;

// The configured fallback chain orders the instances tried after the chosen
// one: those it names (by instance or type name) in its order, then the
// others as the selector ranked them; rules stays last.
void follow_fallback_chain(routing::SelectionResult& selection, const routing::Registry& registry,
                           const std::vector<std::string>& chain) {
  const auto rank = [&](const std::string& name) {
    const routing::BackendInstance* instance = registry.find(name);
    if (instance == nullptr || instance->type == BackendType::rules) return chain.size() + 1;
    for (std::size_t i = 0; i < chain.size(); ++i) {
      if (chain[i] == name || chain[i] == to_string(instance->type)) return i;
    }
    return chain.size();
  };
  std::stable_sort(selection.fallback_chain.begin(), selection.fallback_chain.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
}

Error with_fallback_hint(Error error, const PipelineOptions& options) {
  if (options.fallback == routing::FallbackPolicy::disallowed && error.code != ErrorCode::cancelled) {
    error.hint += std::string(error.hint.empty() ? "" : "; ") + "without --no-fallback another backend may answer";
  }
  return error;
}

bool user_named_backend(const PipelineOptions& options) { return options.backend && *options.backend != "auto"; }

// A command that drops or alters a value the request names (a model may cut
// "Café.txt" to "Caf.txt" or widen it to "*.txt") cannot be taken at its
// word: it is marked unverified, so it is shown with the missing value and
// never run without asking. The rule engine applies the same check to its
// own answers before it gives one.
void note_missing_values(const std::string& request, PipelineResult& result) {
  for (const auto& value : rules::missing_values(request, result.generation.command)) {
    result.validation.unverified.push_back("the command does not contain '" + value + "', which the request names");
  }
}

// Why the answer did not come from where the user asked, when no attempt's
// failure already said so.
void add_selection_notices(const PipelineOptions& options, const routing::SelectionResult& selection,
                           const routing::DispatchResult& dispatched, PipelineResult& result) {
  if (!dispatched.notices.empty()) return;
  if (user_named_backend(options) && selection.selection_reason.starts_with("fallback")) {
    result.notices.push_back(*options.backend + " was not used (" + selection.selection_reason + "); answered by " +
                             result.backend_used + " instead");
  } else if (selection.instance == "rules" &&
             selection.selection_reason.find("model requirements: skipped") != std::string::npos) {
    // The user asked for a model property nothing offers: say so rather than answer quietly from the rules.
    const auto& reason = selection.selection_reason;
    const auto from = reason.find("model requirements: skipped");
    result.notices.push_back("no model backend meets the requirements (" +
                             reason.substr(from, reason.find(';', from) - from) + "); answered by rules");
  }
}

// Keys of discovered instances that have never been sent a request.
std::vector<std::string> first_use_of_discovered(const routing::Registry& registry,
                                                 const routing::PerformanceMonitor& monitor) {
  std::vector<std::string> keys;
  for (const auto& instance : registry.instances()) {
    if (instance.origin != routing::InstanceOrigin::discovered) continue;
    const auto key = routing::metrics_key(instance);
    if (monitor.stats(key).total_requests == 0) keys.push_back(key);
  }
  return keys;
}

// Said once per server and model (the first request its metrics record):
// what answered, and how to keep it or stop looking.
std::optional<std::string> first_use_note(const routing::Registry& registry, const std::string& used,
                                          const std::vector<std::string>& first_uses) {
  const routing::BackendInstance* instance = registry.find(used);
  if (instance == nullptr || instance->origin != routing::InstanceOrigin::discovered) return std::nullopt;
  if (std::find(first_uses.begin(), first_uses.end(), routing::metrics_key(*instance)) == first_uses.end())
    return std::nullopt;
  std::string note =
      "answered by " + instance->server + " found at " + instance->endpoint + ", model " + instance->model;
  if (!instance->model_reason.empty()) note += " (" + instance->model_reason + ")";
  return note + "; to keep it: cmdai backends save " + instance->name +
         "; to stop looking for servers: cmdai config set backend.discover false";
}

}  // namespace

CommandPipeline::CommandPipeline(Env& env, Paths paths, config::ConfigurationState config)
    : CommandPipeline(env, std::move(paths), std::move(config), routing::default_backend_factory(),
                      routing::http_model_info_probe()) {}

CommandPipeline::CommandPipeline(Env& env, Paths paths, config::ConfigurationState config,
                                 routing::BackendFactory factory, routing::ModelInfoProbe model_info)
    : m_env(env),
      m_paths(std::move(paths)),
      m_config(std::move(config)),
      m_factory(std::move(factory)),
      m_model_info(std::move(model_info)) {}

routing::SelectionCriteria CommandPipeline::criteria(const PipelineOptions& options) const {
  return selection_criteria(options, m_config);
}

routing::HealthChecker CommandPipeline::health_checker() const {
  return routing::HealthChecker(
      m_factory, [this] { return m_env.now(); }, routing::k_health_timeout, m_model_info);
}

CommandPipeline::CommandPipeline(Env& env, Paths paths, config::ConfigWatcher& watcher, routing::BackendFactory factory)
    : CommandPipeline(env, std::move(paths), watcher.live().snapshot(), std::move(factory)) {
  m_watcher = &watcher;
  m_subscription = watcher.live().subscribe([this](const config::ConfigChange& change) {
    std::lock_guard lock(m_changes_mutex);
    m_changes.push_back(change);
  });
}

const config::ConfigurationState& CommandPipeline::refresh() {
  if (m_watcher == nullptr) return m_config;
  std::vector<std::string> warnings;
  m_watcher->poll(&warnings);
  for (const auto& warning : warnings) log::warn("configuration: " + warning);
  auto changes = take_changes();
  m_unreported.insert(m_unreported.end(), changes.begin(), changes.end());
  return m_config;
}

std::vector<config::ConfigChange> CommandPipeline::take_changes() {
  std::vector<config::ConfigChange> changes;
  {
    std::lock_guard lock(m_changes_mutex);
    changes.swap(m_changes);
  }
  if (changes.empty() || m_watcher == nullptr) return changes;
  m_config = m_watcher->live().snapshot();
  for (const auto& change : changes) {
    log::info("configuration: " + change.field_name + " '" + change.old_value + "' -> '" + change.new_value + "'");
    if (change.field_name == "safety.custom_patterns") m_validator.reset();
  }
  return changes;
}

std::vector<routing::BackendInstance> CommandPipeline::instances(const PipelineOptions& options,
                                                                 std::vector<std::string>* warnings) const {
  std::vector<std::string> ignored;
  return backend_instances(m_config, options, m_paths.models_dir, warnings ? *warnings : ignored);
}

Result<routing::Registry> CommandPipeline::registry(const PipelineOptions& options,
                                                    std::vector<std::string>* warnings) const {
  return routing::Registry::create(instances(options, warnings));
}

Result<RoutingPlan> CommandPipeline::plan(const PipelineOptions& options, DiscoveryMode mode, ProbePolicy policy,
                                          std::stop_token stop) {
  return plan_routing(PlanInputs{m_env, m_config, options, m_paths.models_dir}, m_monitor, health_checker(), mode,
                      policy, stop);
}

Result<PipelineResult> CommandPipeline::run(const std::string& request, const PipelineOptions& options,
                                            const generation::EventSink& on_event, std::stop_token stop) {
  refresh();
  if (request.size() > k_max_request_bytes) {
    return fail(ErrorCode::invalid_argument,
                "the request is " + std::to_string(request.size()) + " bytes; cmdai takes requests of up to " +
                    std::to_string(k_max_request_bytes / 1024) + " KiB",
                "describe the task in a few sentences (a model cannot use pasted data of that size)");
  }
  // Models and servers read text: bytes that are not UTF-8 cannot be sent
  // as they are, and replacing them would change the request unseen.
  if (const auto at = first_invalid_utf8(request); at != std::string::npos) {
    return fail(ErrorCode::invalid_argument,
                "the request is not valid UTF-8 (byte " + std::to_string(at + 1) + " of " +
                    std::to_string(request.size()) + ")",
                "cmdai reads requests as UTF-8; check the terminal's encoding and LANG/LC_ALL");
  }
  auto generated = generate(request, options, on_event, stop);
  if (!generated) return generated;
  generated->config_changes = std::exchange(m_unreported, {});
  validate(*generated, options);
  note_missing_values(request, *generated);
  if (options.record_history && m_config.history_enabled) record_history(request, options, *generated);
  if (generated->history_id) {
    m_embedding.reset();  // one at a time: the previous run's finishes first
    m_embedding = std::make_unique<semantic::PendingEmbedding>(
        m_env, m_paths, embedding_servers(m_config, m_env, m_monitor, m_paths.models_dir));
  }
  return generated;
}

std::optional<routing::MetricsStore> CommandPipeline::load_metrics(std::vector<std::string>& notices) {
  auto store = routing::MetricsStore::open(m_paths.history_db);
  if (!store) {
    log::warn("backend metrics unavailable: " + store.error().describe());
    return std::nullopt;
  }
  auto warnings = store->load_into(m_monitor);
  if (warnings) notices.insert(notices.end(), warnings->begin(), warnings->end());
  return std::move(*store);
}

Result<PipelineResult> CommandPipeline::generate(const std::string& request, const PipelineOptions& options,
                                                 const generation::EventSink& on_event, std::stop_token stop) {
  PipelineResult result;
  std::optional<routing::MetricsStore> store = load_metrics(result.notices);
  auto plan = this->plan(options, DiscoveryMode::when_needed, ProbePolicy::cached_first, stop);
  if (!plan) return fail(plan.error());
  for (const auto& warning : plan->warnings) result.notices.push_back("warning: " + warning);
  result.notices.insert(result.notices.end(), plan->notes.begin(), plan->notes.end());
  const routing::Registry& registry = plan->registry;
  // Select on the cached figures first: the refresh must not race the choice.
  auto selection = routing::BackendSelector(registry, m_monitor).select(plan->criteria, m_env.now());
  if (!selection && options.backend == "llama") {
    return fail(ErrorCode::not_found, "no llama model is installed",
                "put a .gguf file in " + m_paths.models_dir.string() + " or pass --model FILE.gguf");
  }
  if (!selection) return fail(selection.error());
  follow_fallback_chain(*selection, registry, m_config.fallback_instances);
  log::debug("selected=" + selection->instance + " reason=" + selection->selection_reason);
  result.selection = *selection;
  const auto first_uses = first_use_of_discovered(registry, m_monitor);
  routing::HealthRefresher refresher;
  const routing::HealthChecker checker = health_checker();
  if (options.refresh_stale_health && !plan->to_refresh.empty()) refresher.start(checker, plan->to_refresh, m_monitor);

  auto dispatched = dispatch(request, options, registry, *selection, on_event, stop, result);
  if (stop.stop_requested()) refresher.cancel();
  refresher.wait();
  if (auto saved = store ? store->save(m_monitor) : Result<void>{}; !saved) {
    log::warn("backend metrics not saved: " + saved.error().describe());
  }
  if (!dispatched) return fail(with_fallback_hint(dispatched.error(), options));
  result.backend_used = dispatched->backend_used;
  result.notices.insert(result.notices.end(), dispatched->notices.begin(), dispatched->notices.end());
  add_selection_notices(options, *selection, *dispatched, result);
  if (auto note = first_use_note(registry, result.backend_used, first_uses)) result.notices.push_back(*note);
  return result;
}

Result<routing::DispatchResult> CommandPipeline::dispatch(const std::string& request, const PipelineOptions& options,
                                                          const routing::Registry& registry,
                                                          const routing::SelectionResult& selection,
                                                          const generation::EventSink& on_event, std::stop_token stop,
                                                          PipelineResult& result) {
  const generation::GenerationRequest generation_request{request, options.shell, options.userland,
                                                         options.working_directory};
  const routing::ClockFn clock = [this] { return m_env.now(); };
  return routing::Dispatcher(registry, m_monitor, m_factory, clock)
      .run(
          selection,
          [&](llm::Backend& backend) -> Result<void> {
            log::StageTimer timer("generation");
            auto generation = generation::StreamingGenerator(backend).generate(generation_request, on_event, stop);
            if (!generation) return fail(generation.error());
            result.generation = std::move(*generation);
            return {};
          },
          stop);
}

void CommandPipeline::validate(PipelineResult& result, const PipelineOptions& options) {
  log::StageTimer timer("validation");
  const auto start = std::chrono::steady_clock::now();
  const auto context = validation_context(m_config, m_env, options.working_directory, options.shell);
  if (!m_validator) {
    auto built = make_validator(m_config);
    m_validator_problem.clear();
    if (!built) {
      // A bad custom pattern is reported at load; rate with the built-in rules.
      m_validator_problem = built.error().describe() + "; rating with the built-in rules only";
      built = safety::Validator::create({});
    }
    m_validator = std::move(*built);
  }
  if (!m_validator_problem.empty()) result.notices.push_back(m_validator_problem);
  const safety::Validator* validator = &*m_validator;
  result.validation = validator->validate(result.generation.command, context);
  if (!result.validation.is_safe && m_config.history_enabled) {
    // Only risky commands pay for asking the history about the user's habits.
    auto store = history::HistoryStore::open(m_paths.history_db, history_options(m_config, m_env));
    // The programs come from the validator's own parse and walk: the command
    // is parsed once per request.
    auto hints =
        store ? habit_hints(*store, result.validation.programs) : Result<safety::HabitHints>(fail(store.error()));
    if (hints) safety::apply_habits(*hints, result.validation);
  }
  result.generation.safety_validated = true;
  result.validation_time = std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
}

void CommandPipeline::record_history(const std::string& request, const PipelineOptions& options,
                                     PipelineResult& result) const {
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
  auto store = history::HistoryStore::open(m_paths.history_db, history_options(m_config, m_env));
  auto stored = store ? store->store(entry) : Result<history::StoreOutcome>(fail(store.error()));
  if (!stored) {
    result.notices.push_back("the command was not saved to history: " + stored.error().describe());
  } else if (*stored == history::StoreOutcome::skipped_secret) {
    result.notices.push_back("not saved to history: it holds a secret and history.privacy_mode is skip");
  } else {
    result.history_id = entry.id;
  }
}

}  // namespace cmdai::pipeline
