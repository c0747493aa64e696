#pragma once
// One guard decision from the configuration: the validator with the user's
// custom patterns and guard.deny list, the rating context of the command's
// directory, the project's .cmdai/guard.toml and the guard.* actions. Shared
// by `cmdai guard AGENT` (an agent's hook) and the shell guard.

#include <string>

#include "config/configuration.h"
#include "core/env.h"
#include "core/error.h"
#include "core/paths.h"
#include "guard/audit.h"
#include "guard/policy.h"

namespace cmdai::cli {

// The guard.* actions as a policy.
guard::Policy guard_policy(const config::ConfigurationState& state);

struct GuardCheck {
  guard::Decision decision;
  double safety_score = 1.0;
  Micros validation_time{0};
};

// Rates command as run in cwd and decides. A project allow file that cannot
// be used is set aside (its allows do not apply) and the reason says so.
// Errors: invalid_argument when a custom pattern or guard.deny entry is not
// a valid regex.
Result<GuardCheck> check_for_guard(const Env& env, const config::ConfigurationState& state, const guard::Policy& policy,
                                   const std::string& command, const std::string& cwd);

// Stores the decision in the history database (unless history is off).
Result<void> audit_guard_decision(const Env& env, const config::ConfigurationState& state, const Paths& paths,
                                  guard::AuditRecord record);

}  // namespace cmdai::cli
