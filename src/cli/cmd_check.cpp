// cmdai check [--cwd DIR] [--shell SHELL] [--json] -- COMMAND
// cmdai check --jsonl < lines of {"command": "...", "cwd": "..."}
//
// Exit status (single command): 0 safe, 11 moderate, 12 high, 13 critical.
// With --jsonl: the status of the highest risk seen; a line that is not a
// JSON object with a "command" string is answered in place with an "error"
// field and rated high (input cmdai cannot read is never safe).

#include <filesystem>
#include <iostream>
#include <ostream>
#include <string>

#include "cli/invocation.h"
#include "cli/output.h"
#include "config/configuration.h"
#include "safety/validator.h"

namespace cmdai::cli {
namespace {

std::string git_branch(const Env& env, std::filesystem::path dir) {
  for (int up = 0; up < 64 && !dir.empty(); ++up) {
    if (auto head = env.read_file(dir / ".git" / "HEAD")) {
      const std::string prefix = "ref: refs/heads/";
      if (head->rfind(prefix, 0) != 0) return {};
      std::string branch = head->substr(prefix.size());
      while (!branch.empty() && (branch.back() == '\n' || branch.back() == '\r')) branch.pop_back();
      return branch;
    }
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return {};
}

std::string kube_context(const Env& env) {
  std::string path = env.get_var("KUBECONFIG").value_or(env.home_dir() + "/.kube/config");
  path = path.substr(0, path.find(':'));
  auto text = env.read_file(path);
  if (!text) return {};
  const std::string key = "current-context:";
  const auto at = text->find("\n" + key);
  if (at == std::string::npos && text->rfind(key, 0) != 0) return {};
  std::size_t start = (at == std::string::npos ? 0 : at + 1) + key.size();
  std::string value = text->substr(start, text->find('\n', start) - start);
  const auto first = value.find_first_not_of(" \t\"'");
  const auto last = value.find_last_not_of(" \t\"'\r");
  return first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
}

safety::ValidationContext base_context(Invocation& inv, const config::ConfigurationState& config) {
  safety::ValidationContext context;
  context.working_directory = inv.args.value("cwd").value_or(inv.env.current_dir());
  context.home_directory = inv.env.home_dir();
  context.is_root = inv.env.is_root();
  context.is_ssh_session = inv.env.get_var("SSH_CONNECTION").has_value() || inv.env.get_var("SSH_TTY").has_value();
  context.kube_context = kube_context(inv.env);
  context.safety_level = config.safety_level == config::SafetyLevel::strict       ? safety::SafetyLevel::strict
                         : config.safety_level == config::SafetyLevel::permissive ? safety::SafetyLevel::permissive
                                                                                  : safety::SafetyLevel::moderate;
#ifdef __APPLE__
  context.userland = safety::Userland::bsd;
#endif
  return context;
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
  return out;
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

ExitCode run_jsonl(Invocation& inv, const safety::Validator& validator, const safety::ValidationContext& base) {
  RiskLevel worst = RiskLevel::safe;
  std::string line;
  std::size_t number = 0;
  while (std::getline(std::cin, line)) {
    ++number;
    if (line.empty()) continue;
    const auto request = nlohmann::json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object() || !request.contains("command") ||
        !request["command"].is_string() || (request.contains("cwd") && !request["cwd"].is_string())) {
      worst = std::max(worst, RiskLevel::high);
      inv.out << nlohmann::json{{"line", number},
                                {"error",
                                 "not a JSON object with a \"command\" string (and an optional \"cwd\" string)"},
                                {"risk_level", "high"},
                                {"is_safe", false}}
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
      continue;
    }
    safety::ValidationContext context = base;
    if (request.contains("cwd")) context.working_directory = request["cwd"].get<std::string>();
    const std::string command = request["command"].get<std::string>();
    const auto v = validator.validate(command, context);
    worst = std::max(worst, v.risk_level);
    inv.out << result_json(command, v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  inv.out.flush();
  return exit_for(worst);
}

}  // namespace

ExitCode run_check(Invocation& inv) {
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file);
  for (const auto& warning : loaded.warnings) inv.err << "cmdai: warning: " << warning << "\n";
  auto patterns = safety::parse_custom_patterns(loaded.state.custom_safety_patterns);
  if (!patterns) return report_error(inv, patterns.error());
  auto validator = safety::Validator::create({*patterns});
  if (!validator) return report_error(inv, validator.error());
  safety::ValidationContext context = base_context(inv, loaded.state);
  if (auto shell = inv.args.value("shell")) {
    auto parsed = parse_shell_type(*shell);
    if (!parsed) return report_error(inv, parsed.error());
    context.shell = *parsed;
  }
  if (inv.args.has("jsonl")) return run_jsonl(inv, *validator, context);

  std::string command;
  for (const auto& word : inv.words) command += (command.empty() ? "" : " ") + word;
  if (command.empty()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "check needs a command", "cmdai check -- 'rm -rf /'"});
  }
  context.git_branch = git_branch(inv.env, context.working_directory);
  const auto v = validator->validate(command, context);
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, result_json(command, v));
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
