#pragma once
// The words of a guard decision: a reason written for the agent to act on
// (what fired, on which part of the command, what to run instead) and a
// one-line summary for the person watching.

#include <string>
#include <string_view>
#include <vector>

#include "guard/verdict.h"
#include "safety/validation_result.h"

namespace cmdai::guard {

// findings: those that decided, highest level first.
std::string reason_text(RiskLevel level, const std::vector<safety::Finding>& findings,
                        const std::vector<std::string>& alternatives);

// What the agent should do next under this verdict (" Do not run it ..."),
// "" for pass and allow.
std::string next_step(Verdict verdict);

// "cmdai: critical - fs.rm_root: rm -rf /"
std::string summary_line(RiskLevel level, const std::vector<safety::Finding>& findings, std::string_view command);

// The reason when the agent's hooks cannot ask and an ask became a deny.
std::string ask_became_deny(std::string_view agent, const std::string& reason);

}  // namespace cmdai::guard
