#include "history/retention.h"

#include <string>

#include "core/time.h"

namespace cmdai::history {
namespace {

std::string preserved_clause(const RetentionPolicy& policy) {
  std::string clause = "1";
  if (policy.preserve_favorites) clause += " AND favorite = 0";
  if (policy.preserve_frequently_used) clause += " AND use_count < " + std::to_string(k_frequently_used);
  return clause;
}

Result<std::int64_t> remove_older_than(store::Database& db, const RetentionPolicy& policy, Timestamp now) {
  if (!policy.max_age_days) return std::int64_t{0};
  const Timestamp cutoff = now - std::chrono::hours{24} * static_cast<int>(*policy.max_age_days);
  auto statement = db.prepare("DELETE FROM command_history WHERE timestamp < ?1 AND " + preserved_clause(policy));
  if (!statement) return fail(statement.error());
  statement->bind(1, format_iso8601(cutoff));
  CMDAI_TRY(statement->run());
  return std::int64_t{db.changes()};
}

Result<std::int64_t> remove_beyond_limit(store::Database& db, const RetentionPolicy& policy, std::int64_t total) {
  if (!policy.max_entries || total <= static_cast<std::int64_t>(*policy.max_entries)) return std::int64_t{0};
  const std::int64_t excess = total - static_cast<std::int64_t>(*policy.max_entries);
  auto statement = db.prepare("DELETE FROM command_history WHERE rowid IN (SELECT rowid FROM command_history WHERE " +
                              preserved_clause(policy) + " ORDER BY timestamp ASC, rowid ASC LIMIT ?1)");
  if (!statement) return fail(statement.error());
  statement->bind(1, excess);
  CMDAI_TRY(statement->run());
  return std::int64_t{db.changes()};
}

}  // namespace

Result<CleanupReport> apply_retention(store::Database& db, const RetentionPolicy& policy, Timestamp now) {
  auto transaction = store::Transaction::begin(db);
  if (!transaction) return fail(transaction.error());
  CleanupReport report;
  auto by_age = remove_older_than(db, policy, now);
  if (!by_age) return fail(by_age.error());
  report.removed_by_age = *by_age;
  auto total = db.query_int("SELECT count(*) FROM command_history");
  if (!total) return fail(total.error());
  auto by_count = remove_beyond_limit(db, policy, *total);
  if (!by_count) return fail(by_count.error());
  report.removed_by_count = *by_count;
  report.remaining = *total - *by_count;
  CMDAI_TRY(transaction->commit());
  return report;
}

Result<std::optional<CleanupReport>> apply_retention_if_due(store::Database& db, const RetentionPolicy& policy,
                                                            Timestamp now) {
  bool due = false;
  if (policy.max_age_days) {
    const Timestamp cutoff = now - std::chrono::hours{24} * static_cast<int>(*policy.max_age_days);
    auto statement = db.prepare("SELECT 1 FROM command_history WHERE timestamp < ?1 LIMIT 1");
    if (!statement) return fail(statement.error());
    statement->bind(1, format_iso8601(cutoff));
    auto row = statement->step();
    if (!row) return fail(row.error());
    due = *row;
  }
  if (!due && policy.max_entries) {
    // Two subqueries: SQLite reads a lone min() or max() from the b-tree's
    // edge, but min() and max() in one SELECT scan the whole table.
    auto span = db.query_int(
        "SELECT coalesce((SELECT max(rowid) FROM command_history) - (SELECT min(rowid) FROM command_history) + 1, 0)");
    if (!span) return fail(span.error());
    due = *span > static_cast<std::int64_t>(*policy.max_entries);
  }
  if (!due) return std::optional<CleanupReport>{};
  auto report = apply_retention(db, policy, now);
  if (!report) return fail(report.error());
  return std::optional<CleanupReport>(*report);
}

}  // namespace cmdai::history
