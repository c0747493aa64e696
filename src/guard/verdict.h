#pragma once
// What guard mode answers for one command: the verdict, and why.

#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai::guard {

enum class Verdict {
  pass,   // no decision: the agent's own permission flow (or the shell) goes on as usual
  allow,  // approve explicitly, skipping the agent's own prompt where it has one
  ask,    // the person must approve this command first
  deny,   // the command does not run
};

std::string_view to_string(Verdict verdict);
// Errors: invalid_argument for anything but pass, allow, ask or deny.
Result<Verdict> parse_verdict(std::string_view text);

struct Decision {
  Verdict verdict = Verdict::pass;
  RiskLevel level = RiskLevel::safe;  // the command's risk as rated, before any project allow
  std::vector<std::string> rule_ids;  // rules that fired (all of them, allowed or not)
  std::string reason;                 // for the agent: the rule, the part of the command, a safer way
  std::string summary;                // one line for the person: level, rule ids, command
  std::string allowed_by;             // the project allow entry that applied, "" if none
  std::string alternative;            // a safer command the validator found, "" if none
};

}  // namespace cmdai::guard
