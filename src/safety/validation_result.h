#pragma once
// What the validator says about a command: the seed's ValidationResult plus
// the rules that fired, where, and why.

#include <string>
#include <vector>

#include "core/entities.h"
#include "safety/policy.h"
#include "shell/ast.h"

namespace cmdai::safety {

enum class ConfirmationType {
  none,
  yes_no,        // moderate and high: y/N
  typed_phrase,  // critical: the user types a phrase to proceed
};

std::string_view to_string(ConfirmationType type);

// One rule that fired on one simple command of the script.
struct Finding {
  std::string rule_id;
  RiskLevel level = RiskLevel::safe;
  std::string message;
  std::string segment;         // the simple command as written
  shell::Span span;            // where it is in the validated text
  std::string context_signal;  // what raised the level, e.g. "target is /"; may be empty
};

// Context that made the validator rate a command lower than the command's
// words alone suggest (an image file instead of a disk, a guarded variable,
// signal 0, a help request ...): reported so a user can see what would
// change the rating if the context were different.
struct Lowering {
  std::string id;          // e.g. "lowered.image_file" (rule_table.cpp: k_lowerings)
  std::string reason;      // why the context lowers it
  std::string instead_of;  // the rule the command would otherwise get; may be empty
  std::string detail;      // what the context was, e.g. "disk.img is a regular file"; may be empty
  std::string segment;     // the simple command as written
  shell::Span span;
};

struct ValidationResult {
  bool is_safe = true;  // risk_level == safe
  RiskLevel risk_level = RiskLevel::safe;
  double confidence = 1.0;
  std::string explanation;
  std::vector<std::string> suggested_alternatives;  // each validates lower than the command
  std::vector<ConfirmationType> required_confirmations;
  std::vector<std::string> patterns_matched;  // rule ids
  double safety_score = 1.0;                  // 1 harmless .. 0 catastrophic
  std::vector<Finding> findings;
  std::vector<Lowering> lowered;       // context that lowered a level; never raises one
  Action action = Action::run;         // what the safety level asks for this risk
  std::vector<std::string> warnings;   // shell/userland compatibility; never change the level
  std::vector<std::string> anomalies;  // against the user's history (ValidationContext::habits, apply_habits)
  // The programs the command runs as the validator found them (wrappers,
  // inline code and substitutions followed), without repeats: what the
  // caller asks the history about, so the command is parsed once.
  std::vector<std::string> programs;
  // Why the command cannot be taken at its word, one reason each: a construct
  // the validator cannot see through (a command word built at run time,
  // embedded code it does not parse, a program it does not know) or a value
  // the request named that a model's command drops or alters. A command with
  // any is never run unasked (see cli/confirm.h), whatever its level.
  std::vector<std::string> unverified;
};

}  // namespace cmdai::safety
