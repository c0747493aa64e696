#pragma once
// The built-in rules as data: id, level, message and which context signals
// escalate it. Analyzers name rules by id; the level and message come from
// here, so the whole policy reads in one table (rule_table.cpp).

#include <cstdint>
#include <span>
#include <string_view>

#include "core/entities.h"

namespace cmdai::safety {

enum Escalation : std::uint8_t {
  k_escalate_none = 0,
  k_escalate_root = 1,    // running as root (or via sudo): moderate -> high
  k_escalate_ssh = 2,     // in an SSH session: -> critical (you may lock yourself out)
  k_escalate_branch = 4,  // on or targeting a protected git branch: -> critical
  k_escalate_kube = 8,    // production kube context: one level up
  k_escalate_sudo = 16,   // run through sudo/doas/su (it will succeed): high -> critical
};

struct RuleInfo {
  std::string_view id;
  RiskLevel level;
  std::string_view message;
  std::uint8_t escalation = k_escalate_none;
};

// The rule with this id. Unknown ids are a programming error: they return a
// high-level "internal.unknown_rule" entry rather than crash.
const RuleInfo& rule_info(std::string_view id);

// Every built-in rule, in table order (for docs and tests).
std::span<const RuleInfo> all_rules();

// Context that lowers a rating, as data: id, why, and the rule the
// command would otherwise get (empty when it would get whatever its
// program's analyzer says, as for a help request).
struct LoweringInfo {
  std::string_view id;
  std::string_view instead_of;
  std::string_view reason;
};

// The lowering with this id; unknown ids are a programming error and
// return a generic entry.
const LoweringInfo& lowering_info(std::string_view id);
std::span<const LoweringInfo> all_lowerings();

// Whether a finding of this rule means cmdai could not see what runs (the
// command is then unverified, whatever its level).
bool leaves_unverified(std::string_view id);

}  // namespace cmdai::safety
