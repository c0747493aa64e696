// cmdai "REQUEST": generate, validate, record, show (and --explain).

#include <chrono>
#include <cmath>
#include <iostream>

#include "cli/clipboard.h"
#include "cli/cmd_team.h"
#include "cli/execute.h"
#include "cli/generate_options.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "cli/parts_view.h"
#include "cli/progress.h"
#include "cli/signals.h"
#include "cli/ui_settings.h"
#include "config/config_watcher.h"
#include "config/configuration.h"
#include "core/entity_json.h"
#include "core/terminal_text.h"
#include "core/uuid.h"
#include "history/history_store.h"
#include "pipeline/command_pipeline.h"
#include "pipeline/settings.h"
#include "routing/instance.h"
#include "safety/validator.h"

namespace cmdai::cli {
namespace {

nlohmann::json validation_json(const safety::ValidationResult& v) {
  nlohmann::json confirmations = nlohmann::json::array();
  for (auto c : v.required_confirmations) confirmations.push_back(safety::to_string(c));
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : v.findings) {
    findings.push_back({{"rule_id", f.rule_id},
                        {"risk_level", to_string(f.level)},
                        {"message", f.message},
                        {"segment", f.segment},
                        {"span", {f.span.begin, f.span.end}},
                        {"context_signal", f.context_signal}});
  }
  return {{"is_safe", v.is_safe},
          {"risk_level", to_string(v.risk_level)},
          {"confidence", v.confidence},
          {"explanation", v.explanation},
          {"suggested_alternatives", v.suggested_alternatives},
          {"required_confirmations", confirmations},
          {"patterns_matched", v.patterns_matched},
          {"safety_score", v.safety_score},
          {"findings", findings},
          {"anomalies", v.anomalies},
          {"warnings", v.warnings},
          {"unverified", v.unverified}};
}

// Quiet shows the risk only when it is not safe; normal and above show the
// rules, alternatives and notes too.
void print_risk(Invocation& inv, const safety::ValidationResult& v, config::VerbosityLevel level) {
  const bool quiet = level == config::VerbosityLevel::quiet;
  if (quiet && v.risk_level == RiskLevel::safe && v.unverified.empty()) return;
  inv.out << "  " << risk_color(v.risk_level, inv.color) << "Risk: " << to_string(v.risk_level)
          << reset_color(inv.color) << " - " << terminal_text(v.explanation) << "\n";
  for (const auto& reason : v.unverified) inv.out << "  Unverified: " << terminal_text(reason) << "\n";
  if (quiet) return;
  for (const auto& f : v.findings) {
    inv.out << "  " << risk_color(f.level, inv.color) << "Rule: " << f.rule_id << reset_color(inv.color) << " - "
            << terminal_text(f.message) << "\n";
  }
  for (const auto& alternative : v.suggested_alternatives) inv.out << "  Safer: " << terminal_text(alternative) << "\n";
  for (const auto& anomaly : v.anomalies) inv.out << "  Note: " << terminal_text(anomaly) << "\n";
  for (const auto& warning : v.warnings) inv.out << "  Warning: " << terminal_text(warning) << "\n";
}

nlohmann::json execution_json(const ExecutionReport& report) {
  nlohmann::json out{{"gate", to_string(report.decision.gate)},
                     {"verdict", to_string(report.decision.verdict)},
                     {"ran", report.ran},
                     {"user_confirmed", report.user_confirmed},
                     {"command", report.command}};
  if (report.metadata) out["execution_metadata"] = to_json(*report.metadata);
  return out;
}

void print_generated(Invocation& inv, const pipeline::PipelineResult& result, config::VerbosityLevel level) {
  const auto& g = result.generation;
  // The model's text first, each field shown as text only; cmdai's own risk
  // lines after it, so nothing the model wrote can hide or imitate them.
  inv.out << bold(inv.color) << terminal_text(g.command, LineBreaks::keep) << reset_color(inv.color) << "\n";
  if (level == config::VerbosityLevel::quiet) {
    print_risk(inv, result.validation, level);
    return;
  }
  inv.out << "\n";
  if (!g.explanation.empty()) inv.out << "  " << terminal_text(g.explanation) << "\n";
  print_risk(inv, result.validation, level);
  inv.out << dim(inv.color) << "  backend: " << terminal_text(result.backend_used);
  if (result.history_id) inv.out << "  id: " << result.history_id->substr(0, 8);
  if (level >= config::VerbosityLevel::verbose) {
    inv.out << "  generated in " << std::llround(to_millis(g.generation_time)) << " ms, validated in "
            << std::llround(to_millis(result.validation_time)) << " ms";
  }
  inv.out << reset_color(inv.color) << "\n";
}

// What the selector chose before the request ran; backend_used says who
// answered (they differ after a fallback).
nlohmann::json selection_json(const routing::SelectionResult& selection) {
  return {{"selected_backend", to_string(selection.selected_backend)},
          {"instance", selection.instance},
          {"selection_reason", selection.selection_reason},
          {"fallback_chain", selection.fallback_chain},
          {"estimated_response_time", to_millis(selection.estimated_response_time)},
          {"model", selection.model},
          {"model_reason", selection.model_reason.empty() ? nlohmann::json() : nlohmann::json(selection.model_reason)}};
}

// -v: what was chosen and why, the model too when it was picked from a list.
void print_selection(Invocation& inv, const routing::SelectionResult& selection) {
  inv.err << "cmdai: selected " << terminal_text(selection.instance) << " ("
          << terminal_text(selection.selection_reason) << ")\n";
  if (!selection.model.empty()) {
    inv.err << "cmdai: model " << terminal_text(selection.model);
    if (!selection.model_reason.empty()) inv.err << " (" << terminal_text(selection.model_reason) << ")";
    inv.err << "\n";
  }
}

nlohmann::json generated_json(const pipeline::PipelineResult& result) {
  const auto& g = result.generation;
  return {{"command", g.command},
          {"explanation", g.explanation},
          {"confidence", g.confidence},
          {"generation_time", to_millis(g.generation_time)},
          {"tokens_generated", g.tokens_generated},
          {"safety_validated", g.safety_validated},
          {"risk_level", to_string(result.validation.risk_level)},
          {"backend_used", result.backend_used},
          {"id", result.history_id ? nlohmann::json(*result.history_id) : nlohmann::json(nullptr)},
          {"validation", validation_json(result.validation)},
          {"selection", selection_json(result.selection)}};
}

// --copy: says how the command reached the clipboard, or why it did not.
bool copy_command(Invocation& inv, const std::string& command) {
  inv.out.flush();
  const int terminal_fd = inv.env.is_terminal(2) ? 2 : (inv.env.is_terminal(1) ? 1 : -1);
  auto copied = copy_to_clipboard(inv.env, command, terminal_fd);
  if (!copied) {
    show_error(inv, copied.error());
    return false;
  }
  inv.err << "cmdai: copied to the clipboard through " << *copied << "\n";
  return true;
}

std::optional<RunMode> run_mode(const Invocation& inv) {
  if (inv.args.has("dry-run")) return RunMode::dry_run;
  if (inv.args.has("execute")) return RunMode::execute;
  return std::nullopt;
}

}  // namespace

ExitCode run_generate(Invocation& inv) {
  std::string request;
  for (const auto& word : inv.words) request += (request.empty() ? "" : " ") + word;
  if (request.empty()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "no request given",
                                   "cmdai \"list all pdf files larger than 10MB in Downloads\""});
  }
  // The pipeline follows the file: a change saved while this request runs
  // applies to the next one (the same code path a long-running caller uses).
  config::ConfigWatcher watcher(inv.env, inv.paths.config_file, generation_overrides(inv));
  for (const auto& warning : watcher.warnings()) inv.err << "cmdai: warning: " << terminal_text(warning) << "\n";
  pipeline::CommandPipeline pipeline(inv.env, inv.paths, watcher, backend_factory(inv));
  auto built = pipeline_options(inv);
  if (!built) return report_error(inv, built.error());
  const pipeline::PipelineOptions& options = *built;

  const bool stream = inv.format == OutputFormat::plain && !inv.args.has("no-stream") &&
                      (inv.args.has("stream") || (inv.env.is_terminal(2) && pipeline.refresh().streaming_enabled));
  ProgressDisplay progress(inv.err, stream, inv.color);
  auto on_event = [&](const generation::StreamEvent& event) { progress.on_event(event); };

  std::stop_source stop;
  Result<pipeline::PipelineResult> result = fail(ErrorCode::internal, "not run");
  {
    InterruptScope interrupts(stop);
    result = pipeline.run(request, options, on_event, stop.get_token());
  }
  progress.finish();
  if (!result) return report_error(inv, result.error());
  const auto level = verbosity(inv.args, pipeline.configuration());
  if (level >= config::VerbosityLevel::verbose) print_selection(inv, result->selection);
  if (level != config::VerbosityLevel::quiet) {
    for (const auto& notice : result->notices) inv.err << "cmdai: " << terminal_text(notice) << "\n";
  }

  const auto& g = result->generation;
  if (inv.format == OutputFormat::plain) print_generated(inv, *result, level);
  ExitCode status = ExitCode::ok;
  ExecutionReport report;
  if (auto mode = run_mode(inv)) {
    ExecutionRequest execution{
        {g.command, result->validation}, result->history_id,   request,           options.shell,
        options.working_directory,       result->backend_used, g.generation_time, result->validation_time};
    status = confirm_and_run(inv, pipeline.configuration(), std::move(execution), *mode, report);
  }
  if (result->history_id) push_in_background(pipeline.configuration());
  if (inv.format != OutputFormat::plain) {
    auto out = generated_json(*result);
    if (run_mode(inv)) out["execution"] = execution_json(report);
    write_structured(inv, out);
  }
  if (inv.args.has("copy") && !copy_command(inv, g.command)) return ExitCode::failure;
  return status;
}

ExitCode run_explain(Invocation& inv, const std::string& command) {
  const auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  auto validator = pipeline::make_validator(loaded.state);
  if (!validator) return report_error(inv, validator.error());
  const auto context = pipeline::validation_context(
      loaded.state, inv.env, inv.args.value("cwd").value_or(inv.env.current_dir()), ShellType::bash);
  const auto validation = validator->validate(command, context);
  const auto level = verbosity(inv.args, loaded.state);
  const auto parts = level == config::VerbosityLevel::quiet && inv.format == OutputFormat::plain
                         ? std::vector<manual::StagePart>{}
                         : parts_of(inv, command);
  if (inv.format != OutputFormat::plain) {
    auto out = validation_json(validation);
    out["command"] = command;
    out["parts"] = parts_json(parts);
    write_structured(inv, out);
    return ExitCode::ok;
  }
  inv.out << bold(inv.color) << terminal_text(command, LineBreaks::keep) << reset_color(inv.color) << "\n\n";
  print_parts(inv.out, parts, inv.color);
  print_risk(inv, validation, level);
  return ExitCode::ok;
}

}  // namespace cmdai::cli

namespace cmdai::cli {
namespace {

// A history entry for a command the user brought (no generation).
std::optional<std::string> record_existing(Invocation& inv, Result<history::HistoryStore>& store,
                                           const std::string& command, const safety::ValidationResult& validation,
                                           Micros validation_time, ShellType shell, const std::string& cwd) {
  CommandHistoryEntry entry;
  entry.id = make_uuid_v4();
  entry.timestamp = inv.env.now();
  entry.command = command;
  entry.explanation = validation.explanation;
  entry.shell_type = shell;
  entry.working_directory = cwd;
  entry.execution_metadata =
      ExecutionMetadata{std::nullopt, std::nullopt, std::nullopt, "none", Micros{0}, validation_time};
  entry.safety_metadata =
      SafetyMetadata{validation.risk_level, validation.patterns_matched, false, validation.safety_score};
  auto stored = store ? store->store(entry) : Result<history::StoreOutcome>(fail(store.error()));
  if (!stored) {
    inv.err << "cmdai: the command was not saved to history: " << stored.error().describe() << "\n";
    return std::nullopt;
  }
  if (*stored == history::StoreOutcome::skipped_secret) return std::nullopt;
  return entry.id;
}

}  // namespace

ExitCode run_existing(Invocation& inv) {
  std::string command;
  for (const auto& word : inv.words) command += (command.empty() ? "" : " ") + word;
  if (command.find_first_not_of(" \t\r\n") == std::string::npos) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "run needs a command (only blanks were given)",
                                   "cmdai run -- 'ls -la'"});
  }
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  for (const auto& warning : loaded.warnings) inv.err << "cmdai: warning: " << terminal_text(warning) << "\n";
  auto shell = target_shell(inv);
  if (!shell) return report_error(inv, shell.error());
  const std::string cwd = inv.args.value("cwd").value_or(inv.env.current_dir());
  auto validator = pipeline::make_validator(loaded.state);
  if (!validator) return report_error(inv, validator.error());
  const auto context = pipeline::validation_context(loaded.state, inv.env, cwd, *shell);
  const auto start = std::chrono::steady_clock::now();
  const auto validation = validator->validate(command, context);
  const auto validation_time = std::chrono::ceil<Micros>(std::chrono::steady_clock::now() - start);
  if (inv.format == OutputFormat::plain) {
    inv.out << bold(inv.color) << terminal_text(command, LineBreaks::keep) << reset_color(inv.color) << "\n\n";
    print_risk(inv, validation, verbosity(inv.args, loaded.state));
  }
  // One connection for the entry and for recording the run on it.
  Result<history::HistoryStore> store = fail(ErrorCode::unavailable, "history is off");
  std::optional<std::string> id;
  if (loaded.state.history_enabled) {
    store = history::HistoryStore::open(inv.paths.history_db, pipeline::history_options(loaded.state, inv.env));
    id = record_existing(inv, store, command, validation, validation_time, *shell, cwd);
  }
  ExecutionRequest execution{{command, validation}, id, std::nullopt, *shell, cwd, "none", Micros{0}, validation_time};
  if (store) execution.history = &*store;
  ExecutionReport report;
  const auto mode = inv.args.has("dry-run") ? RunMode::dry_run : RunMode::execute;
  const ExitCode status = confirm_and_run(inv, loaded.state, std::move(execution), mode, report);
  if (inv.format != OutputFormat::plain) {
    auto out = validation_json(validation);
    out["command"] = command;
    out["id"] = id ? nlohmann::json(*id) : nlohmann::json(nullptr);
    out["execution"] = execution_json(report);
    write_structured(inv, out);
  }
  return status;
}

}  // namespace cmdai::cli
