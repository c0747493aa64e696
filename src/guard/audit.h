#pragma once
// The audit trail: every guard decision is a history entry, so `cmdai
// history list --source AGENT`, `cmdai search` and `cmdai guard log` find
// it. The entry's command, working directory and session are the agent's;
// its backend_used is the agent (what produced the command), its safety
// metadata the level and rules, its explanation the reason, and its tags
// "guard" and "guard:<verdict>". Secrets are redacted on the way in, as for
// every history entry.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "guard/verdict.h"
#include "history/history_store.h"

namespace cmdai::guard {

inline constexpr std::string_view k_guard_tag = "guard";

struct AuditRecord {
  std::string agent;  // "claude-code", or "shell" for the shell guard
  std::string session_id;
  std::string cwd;
  std::string command;
  Decision decision;
  double safety_score = 1.0;
  Micros validation_time{0};
  Timestamp at;
};

// One guard decision as the history shows it back.
struct LoggedDecision {
  std::string id;
  Timestamp at;
  std::string agent;
  std::string session_id;
  std::string cwd;
  std::string command;  // redacted
  RiskLevel level = RiskLevel::safe;
  std::optional<Verdict> verdict;  // nullopt when the tags were edited away
  std::vector<std::string> rule_ids;
  std::string reason;
};

// Stores the decision as one history entry (one insert).
Result<void> record_decision(history::HistoryStore& store, const AuditRecord& record);

// The newest guard decisions first, of one agent when given.
Result<std::vector<LoggedDecision>> last_decisions(history::HistoryStore& store, std::int64_t limit,
                                                   const std::optional<std::string>& agent);

}  // namespace cmdai::guard
