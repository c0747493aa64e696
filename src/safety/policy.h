#pragma once
// Safety levels: how much of the risk scale needs a confirmation or is
// blocked. The level never changes a command's risk_level, only what the
// caller must do before running it.

#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai::safety {

enum class SafetyLevel {
  strict,      // moderate: y/N; high: typed phrase; critical: blocked
  moderate,    // moderate, high: y/N; critical: typed phrase (the default)
  permissive,  // moderate runs; high: y/N; critical: typed phrase
};

enum class Action {
  run,            // no confirmation
  confirm,        // y/N
  confirm_typed,  // the user types a phrase to proceed
  block,          // refused at this safety level
};

std::string_view to_string(SafetyLevel level);
std::string_view to_string(Action action);
Result<SafetyLevel> parse_safety_level(std::string_view text);

// What a command of this risk needs at this safety level.
Action action_for(SafetyLevel level, RiskLevel risk);

}  // namespace cmdai::safety
