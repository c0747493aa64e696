// cmdai "REQUEST": generate, validate, record, show (and --explain).

#include <iostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/signals.h"
#include "config/configuration.h"
#include "core/entity_json.h"
#include "pipeline/command_pipeline.h"
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
          {"findings", findings}};
}

void print_risk(Invocation& inv, const safety::ValidationResult& v) {
  inv.out << "  " << risk_color(v.risk_level, inv.color) << "Risk: " << to_string(v.risk_level)
          << reset_color(inv.color) << " - " << v.explanation << "\n";
  for (const auto& alternative : v.suggested_alternatives) inv.out << "  Safer: " << alternative << "\n";
}

Result<ShellType> target_shell(Invocation& inv) {
  if (auto shell = inv.args.value("shell")) return parse_shell_type(*shell);
  if (auto from_env = inv.env.get_var("SHELL")) {
    const auto slash = from_env->find_last_of('/');
    if (auto parsed = parse_shell_type(from_env->substr(slash == std::string::npos ? 0 : slash + 1))) return *parsed;
  }
  return ShellType::bash;
}

}  // namespace

ExitCode run_generate(Invocation& inv) {
  std::string request;
  for (const auto& word : inv.words) request += (request.empty() ? "" : " ") + word;
  if (request.empty()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "no request given",
                                   "cmdai \"list all pdf files larger than 10MB in Downloads\""});
  }
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file);
  for (const auto& warning : loaded.warnings) inv.err << "cmdai: warning: " << warning << "\n";

  pipeline::PipelineOptions options;
  options.backend = inv.args.value("backend");
  options.endpoint = inv.args.value("endpoint");
  options.model = inv.args.value("model");
  if (inv.args.has("no-fallback")) options.fallback = routing::FallbackPolicy::disallowed;
  auto shell = target_shell(inv);
  if (!shell) return report_error(inv, shell.error());
  options.shell = *shell;
#ifdef __APPLE__
  options.userland = llm::Userland::bsd;
#endif
  options.working_directory = inv.args.value("cwd").value_or(inv.env.current_dir());

  const bool stream = inv.format == OutputFormat::plain && !inv.args.has("no-stream") &&
                      (inv.args.has("stream") || (inv.env.is_terminal(2) && loaded.state.streaming_enabled));
  ProgressDisplay progress(inv.err, stream, inv.color);
  auto on_event = [&](const generation::StreamEvent& event) { progress.on_event(event); };

  pipeline::CommandPipeline pipeline(inv.env, inv.paths, loaded.state);
  std::stop_source stop;
  Result<pipeline::PipelineResult> result = fail(ErrorCode::internal, "not run");
  {
    InterruptScope interrupts(stop);
    result = pipeline.run(request, options, on_event, stop.get_token());
  }
  progress.finish();
  if (!result) return report_error(inv, result.error());
  for (const auto& notice : result->notices) inv.err << "cmdai: " << notice << "\n";

  const auto& g = result->generation;
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out{{"command", g.command},
                       {"explanation", g.explanation},
                       {"confidence", g.confidence},
                       {"generation_time", to_millis(g.generation_time)},
                       {"tokens_generated", g.tokens_generated},
                       {"safety_validated", g.safety_validated},
                       {"risk_level", to_string(result->validation.risk_level)},
                       {"backend_used", result->backend_used},
                       {"id", result->history_id ? nlohmann::json(*result->history_id) : nlohmann::json(nullptr)},
                       {"validation", validation_json(result->validation)}};
    write_structured(inv, out);
    return ExitCode::ok;
  }
  inv.out << bold(inv.color) << g.command << reset_color(inv.color) << "\n\n";
  if (!g.explanation.empty()) inv.out << "  " << g.explanation << "\n";
  print_risk(inv, result->validation);
  inv.out << dim(inv.color) << "  backend: " << result->backend_used;
  if (result->history_id) inv.out << "  id: " << result->history_id->substr(0, 8);
  inv.out << reset_color(inv.color) << "\n";
  return ExitCode::ok;
}

ExitCode run_explain(Invocation& inv, const std::string& command) {
  safety::ValidationContext context;
  context.working_directory = inv.args.value("cwd").value_or(inv.env.current_dir());
  context.home_directory = inv.env.home_dir();
  context.is_root = inv.env.is_root();
  const auto validation = safety::Validator{}.validate(command, context);
  if (inv.format != OutputFormat::plain) {
    auto out = validation_json(validation);
    out["command"] = command;
    write_structured(inv, out);
    return ExitCode::ok;
  }
  inv.out << bold(inv.color) << command << reset_color(inv.color) << "\n\n";
  print_risk(inv, validation);
  return ExitCode::ok;
}

}  // namespace cmdai::cli
