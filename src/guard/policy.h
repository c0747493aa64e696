#pragma once
// What guard mode decides for a rated command: an action per risk level
// (guard.safe|moderate|high|critical), the project's allow file, and the
// user's deny list, which always wins.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "guard/project_allow.h"
#include "guard/verdict.h"
#include "safety/validation_result.h"
#include "safety/validator.h"

namespace cmdai::guard {

struct Policy {
  // Indexed by RiskLevel: safe, moderate, high, critical.
  std::array<Verdict, 4> by_level{Verdict::pass, Verdict::pass, Verdict::ask, Verdict::deny};
  // Set to the agent's name when its hooks cannot ask: what would need a
  // person becomes a deny (it must not run unasked), and the reason says why.
  std::string cannot_ask;
  bool can_allow = true;  // false: an allow becomes a pass
};

// Rule ids of the user's deny list (guard.deny) start with this.
inline constexpr std::string_view k_deny_rule_prefix = "guard.deny.";

// The user's deny list as validator patterns: RE2 regexes matched against
// each command cmdai finds (unwrapped from sudo, sh -c ... as for
// safety.custom_patterns), rated critical, ids guard.deny.1, guard.deny.2 ...
std::vector<safety::CustomPattern> deny_patterns(const std::vector<std::string>& entries);

// The decision for command, rated as result: a deny-list finding denies;
// otherwise findings the project allows are set aside and the highest level
// left picks the action. The reason names the rules, the parts of the
// command and a safer alternative when the validator has one.
Decision decide(std::string_view command, const safety::ValidationResult& result, const Policy& policy,
                const AllowList& allow);

}  // namespace cmdai::guard
