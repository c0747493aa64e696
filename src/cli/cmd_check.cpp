// cmdai check [--json] -- COMMAND

#include <ostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "safety/validator.h"

namespace cmdai::cli {

ExitCode run_check(Invocation& inv) {
  std::string command;
  for (const auto& word : inv.words) command += (command.empty() ? "" : " ") + word;
  if (command.empty()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "check needs a command", "cmdai check -- 'rm -rf /'"});
  }
  safety::ValidationContext context;
  context.working_directory = inv.args.value("cwd").value_or(inv.env.current_dir());
  context.home_directory = inv.env.home_dir();
  context.is_root = inv.env.is_root();
  if (auto shell = inv.args.value("shell")) {
    auto parsed = parse_shell_type(*shell);
    if (!parsed) return report_error(inv, parsed.error());
    context.shell = *parsed;
  }
  const auto v = safety::Validator{}.validate(command, context);
  if (inv.format != OutputFormat::plain) {
    nlohmann::json confirmations = nlohmann::json::array();
    for (auto c : v.required_confirmations) confirmations.push_back(safety::to_string(c));
    write_structured(inv, {{"command", command},
                           {"risk_level", to_string(v.risk_level)},
                           {"is_safe", v.is_safe},
                           {"confidence", v.confidence},
                           {"safety_score", v.safety_score},
                           {"patterns_matched", v.patterns_matched},
                           {"explanation", v.explanation},
                           {"suggested_alternatives", v.suggested_alternatives},
                           {"required_confirmations", confirmations}});
  } else {
    inv.out << risk_color(v.risk_level, inv.color) << to_string(v.risk_level) << reset_color(inv.color) << ": "
            << v.explanation << "\n";
  }
  switch (v.risk_level) {
    case RiskLevel::safe: return ExitCode::ok;
    case RiskLevel::moderate: return ExitCode::check_moderate;
    case RiskLevel::high: return ExitCode::check_high;
    case RiskLevel::critical: return ExitCode::check_critical;
  }
  return ExitCode::ok;
}

}  // namespace cmdai::cli
