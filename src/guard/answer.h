#pragma once
// Turning a decision into what the agent reads: stdout, stderr, exit status.

#include <string>

#include "guard/protocol.h"
#include "guard/verdict.h"

namespace cmdai::guard {

// The answer for a decision (made under policy_for(protocol, ...)): exit 0
// and the agent's JSON, or its "no decision" output for pass.
Answer answer_for(const Protocol& protocol, const Decision& decision);

// The answer when cmdai cannot decide (bad event, internal error, timeout):
// exit 2 with the reason on stderr, which every agent reads as a block, and
// the agent's deny on stdout for agents that read it too.
Answer block_answer(const Protocol& protocol, const std::string& reason);

}  // namespace cmdai::guard
