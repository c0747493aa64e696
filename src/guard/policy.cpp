#include "guard/policy.h"

#include <algorithm>

#include "guard/reason.h"

namespace cmdai::guard {
namespace {

bool on_deny_list(const safety::Finding& finding) { return finding.rule_id.starts_with(k_deny_rule_prefix); }

// The findings that still count in this project, and the allow that set the
// others aside ("" when none did).
std::vector<safety::Finding> counted_findings(std::string_view command, const safety::ValidationResult& result,
                                              const AllowList& allow, std::string& allowed_by) {
  std::vector<safety::Finding> counted;
  const AllowEntry* whole = allowing_command(allow, command);
  for (const auto& finding : result.findings) {
    const AllowEntry* entry = whole ? whole : allowing_rule(allow, finding.rule_id);
    if (entry && !on_deny_list(finding)) {
      if (allowed_by.empty()) allowed_by = entry->reason;
      continue;
    }
    counted.push_back(finding);
  }
  return counted;
}

}  // namespace

std::vector<safety::CustomPattern> deny_patterns(const std::vector<std::string>& entries) {
  std::vector<safety::CustomPattern> patterns;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    safety::CustomPattern pattern;
    pattern.id = std::string(k_deny_rule_prefix) + std::to_string(i + 1);
    pattern.level = RiskLevel::critical;
    pattern.regex = entries[i];
    pattern.message = "on your guard.deny list ('" + entries[i] + "')";
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

Decision decide(std::string_view command, const safety::ValidationResult& result, const Policy& policy,
                const AllowList& allow) {
  Decision decision;
  decision.level = result.risk_level;
  decision.rule_ids = result.patterns_matched;
  auto counted = counted_findings(command, result, allow, decision.allowed_by);
  RiskLevel level = RiskLevel::safe;
  for (const auto& finding : counted) level = std::max(level, finding.level);
  const bool denied = std::any_of(counted.begin(), counted.end(), on_deny_list);
  decision.verdict = denied ? Verdict::deny : policy.by_level[static_cast<std::size_t>(level)];
  if (decision.verdict == Verdict::allow && !policy.can_allow) decision.verdict = Verdict::pass;
  const bool ask_denied = decision.verdict == Verdict::ask && !policy.cannot_ask.empty();
  if (ask_denied) decision.verdict = Verdict::deny;
  std::stable_sort(counted.begin(), counted.end(),
                   [](const safety::Finding& a, const safety::Finding& b) { return a.level > b.level; });
  decision.reason = reason_text(level, counted, result.suggested_alternatives) + next_step(decision.verdict);
  if (ask_denied) decision.reason = ask_became_deny(policy.cannot_ask, decision.reason);
  decision.summary = summary_line(level, counted, command);
  if (!result.suggested_alternatives.empty()) decision.alternative = result.suggested_alternatives.front();
  return decision;
}

}  // namespace cmdai::guard
