#include "guard/audit.h"

#include "core/uuid.h"

namespace cmdai::guard {
namespace {

constexpr std::string_view k_verdict_tag_prefix = "guard:";

std::string verdict_tag(Verdict verdict) { return std::string(k_verdict_tag_prefix) + std::string(to_string(verdict)); }

LoggedDecision logged(const history::HistoryRecord& record) {
  const auto& entry = record.entry;
  LoggedDecision out;
  out.id = entry.id;
  out.at = entry.timestamp;
  out.agent = entry.execution_metadata ? entry.execution_metadata->backend_used : "";
  out.session_id = record.session_id.value_or("");
  out.cwd = entry.working_directory;
  out.command = entry.command;
  if (entry.safety_metadata) {
    out.level = entry.safety_metadata->risk_level;
    out.rule_ids = entry.safety_metadata->patterns_matched;
  }
  for (const auto& tag : entry.tags) {
    if (!tag.starts_with(k_verdict_tag_prefix)) continue;
    if (auto verdict = parse_verdict(std::string_view(tag).substr(k_verdict_tag_prefix.size()))) out.verdict = *verdict;
  }
  out.reason = entry.explanation;
  return out;
}

}  // namespace

Result<void> record_decision(history::HistoryStore& store, const AuditRecord& record) {
  history::HistoryRecord row;
  auto& entry = row.entry;
  entry.id = make_uuid_v4();
  entry.timestamp = record.at;
  entry.command = record.command;
  entry.explanation = record.decision.reason;
  entry.working_directory = record.cwd.empty() ? "/" : record.cwd;
  // Nothing is known of a run: the agent runs the command, or does not.
  entry.execution_metadata =
      ExecutionMetadata{std::nullopt, std::nullopt, std::nullopt, record.agent, Micros{0}, record.validation_time};
  entry.safety_metadata = SafetyMetadata{record.decision.level, record.decision.rule_ids, false, record.safety_score};
  entry.tags = {std::string(k_guard_tag), verdict_tag(record.decision.verdict)};
  if (!record.session_id.empty()) row.session_id = record.session_id;
  auto stored = store.store(row);
  if (!stored) return fail(stored.error());
  return {};
}

Result<std::vector<LoggedDecision>> last_decisions(history::HistoryStore& store, std::int64_t limit,
                                                   const std::optional<std::string>& agent) {
  history::SearchFilters filters;
  filters.tag = std::string(k_guard_tag);
  filters.backend = agent;
  auto records = store.list_records({0, limit}, filters);
  if (!records) return fail(records.error());
  std::vector<LoggedDecision> out;
  for (const auto& record : *records) out.push_back(logged(record));
  return out;
}

}  // namespace cmdai::guard
