#include "safety/policy.h"

#include <string>

namespace cmdai::safety {

std::string_view to_string(SafetyLevel level) {
  switch (level) {
    case SafetyLevel::strict: return "strict";
    case SafetyLevel::moderate: return "moderate";
    case SafetyLevel::permissive: return "permissive";
  }
  return "moderate";
}

std::string_view to_string(Action action) {
  switch (action) {
    case Action::run: return "run";
    case Action::confirm: return "confirm";
    case Action::confirm_typed: return "confirm_typed";
    case Action::block: return "block";
  }
  return "block";
}

Result<SafetyLevel> parse_safety_level(std::string_view text) {
  for (auto level : {SafetyLevel::strict, SafetyLevel::moderate, SafetyLevel::permissive}) {
    if (text == to_string(level)) return level;
  }
  return fail(ErrorCode::invalid_argument, "unknown safety level '" + std::string(text) + "'",
              "use strict, moderate or permissive");
}

Action action_for(SafetyLevel level, RiskLevel risk) {
  switch (risk) {
    case RiskLevel::safe: return Action::run;
    case RiskLevel::moderate: return level == SafetyLevel::permissive ? Action::run : Action::confirm;
    case RiskLevel::high: return level == SafetyLevel::strict ? Action::confirm_typed : Action::confirm;
    case RiskLevel::critical: return level == SafetyLevel::strict ? Action::block : Action::confirm_typed;
  }
  return Action::block;
}

}  // namespace cmdai::safety
