// cmdai check [--cwd DIR] [--shell SHELL] [--json] [--why] -- COMMAND
//
// --why lists every rule that fired (id, level, the byte span and the text it
// covers, the context signal that raised it), the context that lowered a
// level (id, the rule it replaced, span, what it saw), what cmdai could not see
// through, and the context it rated in (cwd, root, SSH, git branch, kube).
// cmdai check --jsonl < lines of {"command": "...", "cwd": "..."}
//
// Exit status (single command): 0 safe, 11 moderate, 12 high, 13 critical.
// With --jsonl: the status of the highest risk seen; a line that is not a
// JSON object with a "command" string is answered in place with an "error"
// field and rated high (input cmdai cannot read is never safe). A --jsonl
// run follows the configuration file: a change saved while it reads (safety
// level, custom patterns...) rates the lines after it.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <string>

#include "cli/invocation.h"
#include "cli/output.h"
#include "config/config_watcher.h"
#include "config/configuration.h"
#include "core/entity_json.h"
#include "core/terminal_text.h"
#include "pipeline/settings.h"
#include "safety/validator.h"

namespace cmdai::cli {
namespace {

// The context that lowered a level: what it was, why it lowers, the rule
// the command would otherwise get and where.
nlohmann::json lowered_json(const safety::ValidationResult& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : v.lowered) {
    out.push_back({{"id", l.id},
                   {"reason", l.reason},
                   {"instead_of", l.instead_of},
                   {"context", l.detail},
                   {"segment", l.segment},
                   {"span", {{"begin", l.span.begin}, {"end", l.span.end}}}});
  }
  return out;
}

nlohmann::json result_json(std::string_view command, const safety::ValidationResult& v) {
  nlohmann::json confirmations = nlohmann::json::array();
  for (auto c : v.required_confirmations) confirmations.push_back(safety::to_string(c));
  nlohmann::json out{{"command", command},
                     {"risk_level", to_string(v.risk_level)},
                     {"is_safe", v.is_safe},
                     {"confidence", v.confidence},
                     {"safety_score", v.safety_score},
                     {"patterns_matched", v.patterns_matched},
                     {"explanation", v.explanation},
                     {"suggested_alternatives", v.suggested_alternatives},
                     {"required_confirmations", confirmations}};
  if (!v.warnings.empty()) out["warnings"] = v.warnings;
  out["unverified"] = v.unverified;
  out["lowered"] = lowered_json(v);
  return out;
}

nlohmann::json context_json(const safety::ValidationContext& c) {
  return {{"cwd", c.working_directory},
          {"home", c.home_directory},
          {"root", c.is_root},
          {"ssh_session", c.is_ssh_session},
          {"git_branch", c.git_branch},
          {"kube_context", c.kube_context},
          {"safety_level", to_string(c.safety_level)}};
}

nlohmann::json why_json(std::string_view command, const safety::ValidationResult& v,
                        const safety::ValidationContext& context) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : v.findings) {
    findings.push_back({{"rule_id", f.rule_id},
                        {"level", to_string(f.level)},
                        {"message", f.message},
                        {"segment", f.segment},
                        {"span", {{"begin", f.span.begin}, {"end", f.span.end}}},
                        {"context", f.context_signal}});
  }
  auto out = result_json(command, v);
  out["findings"] = std::move(findings);
  out["context"] = context_json(context);
  return out;
}

// The plain --why listing: one block per rule, then what was not seen
// through and the context.
void print_why(std::ostream& out, std::string_view command, const safety::ValidationResult& v,
               const safety::ValidationContext& c) {
  for (const auto& f : v.findings) {
    const auto end = std::min(f.span.end, command.size());
    const auto begin = std::min(f.span.begin, end);
    out << "  " << f.rule_id << " [" << to_string(f.level) << "] " << f.message << "\n"
        << "      span " << begin << "-" << end << ": " << terminal_text(command.substr(begin, end - begin)) << "\n";
    if (!f.context_signal.empty()) out << "      because: " << terminal_text(f.context_signal) << "\n";
  }
  if (v.findings.empty()) out << "  no rule fired\n";
  for (const auto& l : v.lowered) {
    const auto end = std::min(l.span.end, command.size());
    const auto begin = std::min(l.span.begin, end);
    out << "  lowered: " << l.id << (l.instead_of.empty() ? "" : " (instead of " + l.instead_of + ")") << " "
        << l.reason << "\n"
        << "      span " << begin << "-" << end << ": " << terminal_text(command.substr(begin, end - begin)) << "\n";
    if (!l.detail.empty()) out << "      because: " << terminal_text(l.detail) << "\n";
  }
  for (const auto& u : v.unverified) out << "  unverified: " << terminal_text(u) << "\n";
  out << "  context: cwd " << terminal_text(c.working_directory) << (c.is_root ? ", root" : "")
      << (c.is_ssh_session ? ", ssh session" : "")
      << (c.git_branch.empty() ? "" : ", git branch " + terminal_text(c.git_branch))
      << (c.kube_context.empty() ? "" : ", kube context " + terminal_text(c.kube_context)) << ", safety level "
      << to_string(c.safety_level) << "\n";
}

ExitCode exit_for(RiskLevel level) {
  switch (level) {
    case RiskLevel::safe: return ExitCode::ok;
    case RiskLevel::moderate: return ExitCode::check_moderate;
    case RiskLevel::high: return ExitCode::check_high;
    case RiskLevel::critical: return ExitCode::check_critical;
  }
  return ExitCode::ok;
}

// What rates commands: the validator and the context the configuration
// and the command line make.
struct Rater {
  safety::Validator validator;
  safety::ValidationContext context;
};

Result<Rater> make_rater(Invocation& inv, const config::ConfigurationState& state) {
  auto validator = pipeline::make_validator(state);
  if (!validator) return fail(validator.error());
  safety::ValidationContext context = pipeline::validation_context(
      state, inv.env, inv.args.value("cwd").value_or(inv.env.current_dir()), ShellType::bash);
  if (auto shell = inv.args.value("shell")) {
    auto parsed = parse_shell_type(*shell);
    if (!parsed) return fail(parsed.error());
    context.shell = *parsed;
  }
  return Rater{std::move(*validator), std::move(context)};
}

// How often a --jsonl run looks at the configuration file at most (a read
// per line would cost a tenth of the rating itself).
constexpr std::chrono::milliseconds k_config_poll{100};

ExitCode run_jsonl(Invocation& inv, config::ConfigWatcher& watcher, Rater rater) {
  RiskLevel worst = RiskLevel::safe;
  std::string line;
  std::size_t number = 0;
  auto polled = std::chrono::steady_clock::now();
  while (std::getline(std::cin, line)) {
    ++number;
    if (const auto now = std::chrono::steady_clock::now(); now - polled >= k_config_poll) {
      polled = now;
      std::vector<std::string> warnings;
      if (!watcher.poll(&warnings).empty()) {
        for (const auto& warning : warnings) inv.err << "cmdai: warning: " << warning << "\n";
        auto next = make_rater(inv, watcher.live().snapshot());
        if (next) rater = std::move(*next);
      }
    }
    if (line.empty()) continue;
    const auto request = nlohmann::json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object() || !request.contains("command") ||
        !request["command"].is_string() || (request.contains("cwd") && !request["cwd"].is_string())) {
      worst = std::max(worst, RiskLevel::high);
      inv.out << json_text(nlohmann::json{
                     {"line", number},
                     {"error", "not a JSON object with a \"command\" string (and an optional \"cwd\" string)"},
                     {"risk_level", "high"},
                     {"is_safe", false}})
              << "\n";
      continue;
    }
    safety::ValidationContext context = rater.context;
    if (request.contains("cwd")) context.working_directory = request["cwd"].get<std::string>();
    const std::string command = request["command"].get<std::string>();
    const auto v = rater.validator.validate(command, context);
    worst = std::max(worst, v.risk_level);
    inv.out << json_text(result_json(command, v)) << "\n";
  }
  inv.out.flush();
  return exit_for(worst);
}

}  // namespace

ExitCode run_check(Invocation& inv) {
  config::ConfigWatcher watcher(inv.env, inv.paths.config_file, command_line_overrides(inv));
  for (const auto& warning : watcher.warnings()) inv.err << "cmdai: warning: " << warning << "\n";
  auto rater = make_rater(inv, watcher.live().snapshot());
  if (!rater) return report_error(inv, rater.error());
  if (inv.args.has("jsonl")) return run_jsonl(inv, watcher, std::move(*rater));
  const safety::Validator& validator = rater->validator;
  const safety::ValidationContext& context = rater->context;

  std::string command;
  for (const auto& word : inv.words) command += (command.empty() ? "" : " ") + word;
  if (command.empty()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "check needs a command", "cmdai check -- 'rm -rf /'"});
  }
  const auto v = validator.validate(command, context);
  const bool why = inv.args.has("why");
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, why ? why_json(command, v, context) : result_json(command, v));
  } else if (why) {
    inv.out << risk_color(v.risk_level, inv.color) << to_string(v.risk_level) << reset_color(inv.color) << ": "
            << terminal_text(v.explanation) << "\n";
    print_why(inv.out, command, v, context);
  } else {
    inv.out << risk_color(v.risk_level, inv.color) << to_string(v.risk_level) << reset_color(inv.color) << ": "
            << v.explanation << "\n";
    for (const auto& f : v.findings) {
      inv.out << "  " << f.rule_id << " [" << to_string(f.level) << "] at " << f.span.begin << "-" << f.span.end << ": "
              << f.segment << "\n";
    }
    for (const auto& alt : v.suggested_alternatives) inv.out << "  instead: " << alt << "\n";
    for (const auto& w : v.warnings) inv.out << "  warning: " << w << "\n";
  }
  return exit_for(v.risk_level);
}

}  // namespace cmdai::cli
