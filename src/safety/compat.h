#pragma once
// Shell and userland compatibility: warnings (never a higher risk) when a
// command uses syntax the target shell lacks (bash-only constructs for sh,
// POSIX syntax fish does not accept) or GNU-only flags on BSD/macOS.

#include <string>
#include <string_view>
#include <vector>

#include "safety/validator.h"
#include "shell/ast.h"

namespace cmdai::safety {

std::vector<std::string> compatibility_warnings(const shell::Script& script, std::string_view text,
                                                const ValidationContext& context);

}  // namespace cmdai::safety
