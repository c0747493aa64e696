#include "safety/validator.h"

#include <algorithm>

namespace cmdai::safety {
namespace {

struct Rule {
  std::string_view id;
  RiskLevel level;
  std::string_view message;
  std::string_view alternative;
};

bool has_flag(const std::vector<std::string>& argv, char short_flag, std::string_view long_flag) {
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") break;
    if (a == long_flag) return true;
    if (a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find(short_flag) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> operands(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  bool end_of_options = false;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    if (!end_of_options && argv[i] == "--") {
      end_of_options = true;
      continue;
    }
    if (!end_of_options && argv[i].size() > 1 && argv[i][0] == '-') continue;
    out.push_back(argv[i]);
  }
  return out;
}

std::string base_name(const std::string& program) {
  const auto slash = program.find_last_of('/');
  return slash == std::string::npos ? program : program.substr(slash + 1);
}

bool is_system_target(const std::string& path, const ValidationContext& context) {
  static const std::vector<std::string_view> system_dirs{"/",      "/*",    "/bin",  "/boot", "/dev", "/etc", "/lib",
                                                         "/lib64", "/proc", "/sbin", "/sys",  "/usr", "/var"};
  std::string normalised = path;
  while (normalised.size() > 1 && normalised.back() == '/') normalised.pop_back();
  if (normalised == "~" || normalised == "~/" || normalised == context.home_directory) return true;
  return std::find(system_dirs.begin(), system_dirs.end(), normalised) != system_dirs.end();
}

void add(ValidationResult& result, const Rule& rule, const shell::SimpleCommand& command, std::string_view text,
         std::string context_signal = {}) {
  Finding finding;
  finding.rule_id = rule.id;
  finding.level = rule.level;
  finding.message = rule.message;
  finding.span = command.span;
  finding.segment = std::string(text.substr(command.span.begin, command.span.end - command.span.begin));
  finding.context_signal = std::move(context_signal);
  result.findings.push_back(std::move(finding));
  if (!rule.alternative.empty()) result.suggested_alternatives.emplace_back(rule.alternative);
}

void check_command(const shell::SimpleCommand& command, std::string_view text, const ValidationContext& context,
                   ValidationResult& result) {
  if (command.argv.empty()) return;
  std::size_t start = 0;
  while (start < command.argv.size() && (command.argv[start] == "sudo" || command.argv[start] == "doas")) ++start;
  if (start == command.argv.size()) return;
  std::vector<std::string> argv(command.argv.begin() + static_cast<long>(start), command.argv.end());
  const std::string program = base_name(argv[0]);

  if (program == "rm") {
    const bool recursive = has_flag(argv, 'r', "--recursive") || has_flag(argv, 'R', "--recursive");
    for (const auto& target : operands(argv)) {
      if (recursive && is_system_target(target, context)) {
        add(result, {"rm.recursive_system", RiskLevel::critical, "recursively deletes a system or home directory", ""},
            command, text, "target is " + target);
        return;
      }
    }
    if (recursive) {
      add(result, {"rm.recursive", RiskLevel::high, "recursively deletes files", "rm -ri (asks before each file)"},
          command, text);
    } else {
      add(result, {"rm.files", RiskLevel::moderate, "deletes files", ""}, command, text);
    }
  } else if (program.rfind("mkfs", 0) == 0 || program == "wipefs") {
    add(result, {"disk.format", RiskLevel::critical, "formats a device, destroying its data", ""}, command, text);
  } else if (program == "dd") {
    for (const auto& a : argv) {
      if (a.rfind("of=/dev/", 0) == 0) {
        add(result, {"dd.device", RiskLevel::critical, "writes raw data to a device", ""}, command, text);
        return;
      }
    }
    add(result, {"dd.write", RiskLevel::moderate, "copies raw data", ""}, command, text);
  } else if (program == "find" && std::find(argv.begin(), argv.end(), "-delete") != argv.end()) {
    add(result, {"find.delete", RiskLevel::high, "deletes every file find matches", "the same find without -delete"},
        command, text);
  } else if (program == "chmod" || program == "chown") {
    add(result, {"permissions.change", RiskLevel::moderate, "changes file permissions or ownership", ""}, command,
        text);
  } else if (program == "mv" || program == "cp") {
    add(result, {"files.overwrite", RiskLevel::moderate, "may overwrite files", ""}, command, text);
  } else if (program == "shutdown" || program == "reboot" || program == "halt" || program == "poweroff") {
    add(result, {"system.power", RiskLevel::high, "shuts down or restarts the machine", ""}, command, text);
  }
}

double score_for(RiskLevel level) {
  switch (level) {
    case RiskLevel::safe: return 1.0;
    case RiskLevel::moderate: return 0.6;
    case RiskLevel::high: return 0.3;
    case RiskLevel::critical: return 0.0;
  }
  return 0.0;
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

ValidationResult Validator::validate(std::string_view command, const ValidationContext& context) const {
  ValidationResult result;
  auto script = shell::parse(command);
  if (!script) {
    result.findings.push_back({"parse.error",
                               RiskLevel::high,
                               "the command could not be parsed (" + script.error().message + ")",
                               std::string(command),
                               {0, command.size()},
                               ""});
  } else {
    for (const auto& item : script->items) check_command(item.command, command, context, result);
  }
  for (const auto& finding : result.findings) {
    result.risk_level = std::max(result.risk_level, finding.level);
    result.patterns_matched.push_back(finding.rule_id);
  }
  result.is_safe = result.risk_level == RiskLevel::safe;
  result.safety_score = score_for(result.risk_level);
  result.confidence = script ? 0.8 : 0.5;
  if (result.findings.empty()) {
    result.explanation = "No risky operation found.";
  } else {
    for (const auto& finding : result.findings) {
      if (!result.explanation.empty()) result.explanation += "; ";
      result.explanation += finding.message;
      if (!finding.context_signal.empty()) result.explanation += " (" + finding.context_signal + ")";
    }
  }
  if (result.risk_level == RiskLevel::moderate || result.risk_level == RiskLevel::high) {
    result.required_confirmations.push_back(ConfirmationType::yes_no);
  } else if (result.risk_level == RiskLevel::critical) {
    result.required_confirmations.push_back(ConfirmationType::typed_phrase);
  }
  return result;
}

}  // namespace cmdai::safety
