#include "guard/reason.h"

#include "core/utf8.h"

namespace cmdai::guard {
namespace {

constexpr std::size_t k_max_findings = 3;
constexpr std::size_t k_max_segment_bytes = 160;

std::string quoted(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
  std::string cut(utf8_prefix(text, k_max_segment_bytes));
  if (cut.size() < text.size()) cut += "...";
  return "`" + cut + "`";
}

}  // namespace

std::string next_step(Verdict verdict) {
  switch (verdict) {
    case Verdict::deny:
      return " Do not run it, nor the same effect written another way. If it is really needed, ask the user to run "
             "it themselves or to allow it for this project in .cmdai/guard.toml.";
    case Verdict::ask: return " The user has to approve it before it runs.";
    case Verdict::pass:
    case Verdict::allow: break;
  }
  return {};
}

std::string reason_text(RiskLevel level, const std::vector<safety::Finding>& findings,
                        const std::vector<std::string>& alternatives) {
  if (findings.empty()) return "cmdai found no risky operation in this command.";
  std::string text = "cmdai rated this command " + std::string(to_string(level)) + ":";
  for (std::size_t i = 0; i < findings.size() && i < k_max_findings; ++i) {
    const auto& f = findings[i];
    text += (i ? "; " : " ") + f.rule_id + " (" + f.message;
    if (!f.context_signal.empty()) text += ", " + f.context_signal;
    text += ") in " + quoted(f.segment.empty() ? std::string_view("the command") : std::string_view(f.segment));
  }
  if (findings.size() > k_max_findings) text += "; and " + std::to_string(findings.size() - k_max_findings) + " more";
  text += ".";
  if (!alternatives.empty()) text += " A safer command: " + quoted(alternatives.front()) + ".";
  return text;
}

std::string summary_line(RiskLevel level, const std::vector<safety::Finding>& findings, std::string_view command) {
  std::string rules;
  for (std::size_t i = 0; i < findings.size() && i < k_max_findings; ++i) {
    if (rules.find(findings[i].rule_id) == std::string::npos)
      rules += (rules.empty() ? "" : ", ") + findings[i].rule_id;
  }
  std::string line = "cmdai: " + std::string(to_string(level));
  if (!rules.empty()) line += " - " + rules;
  return line + ": " + std::string(utf8_prefix(command, k_max_segment_bytes));
}

std::string ask_became_deny(std::string_view agent, const std::string& reason) {
  return "cmdai would have the user approve this command, and " + std::string(agent) +
         " hooks cannot ask, so it is denied. " + reason;
}

}  // namespace cmdai::guard
