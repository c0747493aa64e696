#include "safety/validator.h"

#include <re2/re2.h>

#include <algorithm>

#include "core/utf8.h"
#include "safety/compat.h"
#include "safety/rule_table.h"
#include "safety/walker.h"
#include "shell/parser.h"

namespace cmdai::safety {
namespace {

constexpr std::size_t k_max_command_bytes = 1 << 20;

double score_for(RiskLevel level, std::size_t findings) {
  double top = 1.0, bottom = 0.8;
  switch (level) {
    case RiskLevel::safe: return 1.0;
    case RiskLevel::moderate: top = 0.7, bottom = 0.5; break;
    case RiskLevel::high: top = 0.4, bottom = 0.2; break;
    case RiskLevel::critical: return 0.0;
  }
  return std::max(bottom, top - 0.05 * static_cast<double>(findings > 0 ? findings - 1 : 0));
}

void add_input_finding(ValidationResult& result, std::string_view command, std::string message) {
  Finding finding;
  finding.rule_id = "parse.error";
  finding.level = RiskLevel::high;
  finding.message = std::move(message);
  finding.span = {0, command.size()};
  finding.segment = std::string(utf8_prefix(command, 200));
  result.findings.push_back(std::move(finding));
}

}  // namespace

void apply_habits(const HabitHints& h, ValidationResult& result) {
  if (result.risk_level < RiskLevel::high) return;
  for (const auto& f : result.findings) {
    if (f.level < RiskLevel::high) continue;
    const std::string program = f.segment.substr(0, f.segment.find(' '));
    const auto seen = std::find(h.known_programs.begin(), h.known_programs.end(), program) != h.known_programs.end();
    if (!seen && !program.empty()) {
      result.anomalies.push_back("you have not run '" + program + "' before: " + f.message);
    }
    if (std::find(h.failing_programs.begin(), h.failing_programs.end(), program) != h.failing_programs.end()) {
      result.anomalies.push_back("'" + program + "' has mostly failed when you ran it");
    }
  }
  std::sort(result.anomalies.begin(), result.anomalies.end());
  result.anomalies.erase(std::unique(result.anomalies.begin(), result.anomalies.end()), result.anomalies.end());
}

namespace {

// One reason per construct cmdai could not see through, with where it is.
void note_unverified(ValidationResult& result) {
  for (const auto& finding : result.findings) {
    if (!leaves_unverified(finding.rule_id)) continue;
    std::string reason = finding.message;
    if (!finding.segment.empty()) reason += " (in: " + finding.segment + ")";
    if (std::find(result.unverified.begin(), result.unverified.end(), reason) == result.unverified.end()) {
      result.unverified.push_back(std::move(reason));
    }
  }
}

void summarise(const ValidationContext& context, bool parsed, bool dynamic, ValidationResult& result) {
  for (const auto& finding : result.findings) {
    result.risk_level = std::max(result.risk_level, finding.level);
    if (std::find(result.patterns_matched.begin(), result.patterns_matched.end(), finding.rule_id) ==
        result.patterns_matched.end()) {
      result.patterns_matched.push_back(finding.rule_id);
    }
  }
  result.is_safe = result.risk_level == RiskLevel::safe;
  result.safety_score = score_for(result.risk_level, result.findings.size());
  result.confidence = !parsed ? 0.5 : dynamic ? 0.7 : 0.9;
  std::vector<std::string> parts;
  for (const auto& finding : result.findings) {
    std::string part = finding.message;
    if (!finding.context_signal.empty()) part += " (" + finding.context_signal + ")";
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(std::move(part));
  }
  for (const auto& part : parts) result.explanation += (result.explanation.empty() ? "" : "; ") + part;
  if (parts.empty()) result.explanation = "No risky operation found.";
  result.action = action_for(context.safety_level, result.risk_level);
  if (result.action == Action::confirm) result.required_confirmations.push_back(ConfirmationType::yes_no);
  if (result.action == Action::confirm_typed || result.action == Action::block) {
    result.required_confirmations.push_back(ConfirmationType::typed_phrase);
  }
  if (context.habits) apply_habits(*context.habits, result);
  note_unverified(result);
}

}  // namespace

std::string_view to_string(ConfirmationType type) {
  switch (type) {
    case ConfirmationType::none: return "none";
    case ConfirmationType::yes_no: return "yes_no";
    case ConfirmationType::typed_phrase: return "typed_phrase";
  }
  return "none";
}

Result<std::vector<CustomPattern>> parse_custom_patterns(const std::vector<std::string>& entries) {
  std::vector<CustomPattern> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CustomPattern p;
    p.id = "custom." + std::to_string(i + 1);
    p.regex = entries[i];
    const auto colon = entries[i].find(':');
    if (colon != std::string::npos) {
      if (auto level = parse_risk_level(entries[i].substr(0, colon)); level && *level != RiskLevel::safe) {
        p.level = *level;
        p.regex = entries[i].substr(colon + 1);
      }
    }
    if (p.regex.empty()) {
      return fail(ErrorCode::invalid_argument, "custom safety pattern " + std::to_string(i + 1) + " is empty",
                  "write a regex, optionally prefixed with moderate:, high: or critical:");
    }
    out.push_back(std::move(p));
  }
  return out;
}

Validator::Validator() : m_compiled(std::make_shared<Compiled>()) {}

Result<Validator> Validator::create(ValidatorOptions options) {
  auto compiled = std::make_shared<Compiled>();
  for (const auto& pattern : options.custom_patterns) {
    RE2::Options re_options;
    re_options.set_log_errors(false);
    auto regex = std::make_shared<RE2>(pattern.regex, re_options);
    if (!regex->ok()) {
      return fail(ErrorCode::invalid_argument,
                  "custom safety pattern '" + pattern.regex + "' is not a valid regex: " + regex->error(),
                  "fix it in config.toml (RE2 syntax: no lookaround or backreferences)");
    }
    compiled->custom.push_back({pattern, std::move(regex)});
  }
  Validator validator;
  validator.m_options = std::move(options);
  validator.m_compiled = std::move(compiled);
  return validator;
}

ValidationResult Validator::validate(std::string_view command, const ValidationContext& context) const {
  ValidationResult result;
  bool parsed = false;
  bool dynamic = false;
  if (command.size() > k_max_command_bytes) {
    add_input_finding(result, command, "the command is longer than 1 MiB; cmdai does not rate it");
  } else if (command.find('\0') != std::string_view::npos) {
    add_input_finding(result, command, "the command contains a NUL byte, which no shell can run as written");
  } else if (auto script = shell::parse(command, {64})) {
    parsed = true;
    Walker walker(command, context, *m_compiled, m_options.max_depth, result);
    walker.walk(*script);
    dynamic = walker.saw_dynamic();
    result.warnings = compatibility_warnings(*script, command, context);
  } else {
    add_input_finding(
        result, command,
        "the command could not be parsed (" + script.error().message + "), so cmdai cannot tell what it runs");
  }
  if (!is_valid_utf8(command)) result.warnings.push_back("the command is not valid UTF-8");
  summarise(context, parsed, dynamic, result);
  return result;
}

}  // namespace cmdai::safety
