#include "routing/metrics_store.h"

#include <cmath>

#include "core/entity_json.h"
#include "core/time.h"
#include "store/migrations.h"

namespace cmdai::routing {
namespace {

Result<InstanceRecord> parse_record(const std::string& instance, const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    return fail(ErrorCode::corruption, "backend_metrics row '" + instance + "' has malformed metrics_json");
  }
  auto record = InstanceRecord::from_json(json);
  if (!record) return fail(ErrorCode::corruption, "backend_metrics row '" + instance + "': " + record.error().message);
  return record;
}

}  // namespace

Result<MetricsStore> MetricsStore::open(const std::filesystem::path& path) {
  auto db = store::Database::open(path);
  if (!db) return fail(db.error());
  CMDAI_TRY(store::migrate(*db));
  return MetricsStore(std::move(*db));
}

Result<std::vector<std::string>> MetricsStore::load_into(PerformanceMonitor& monitor) {
  auto statement = m_db.prepare("SELECT backend_name, metrics_json FROM backend_metrics");
  if (!statement) return fail(statement.error());
  std::vector<std::string> warnings;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::string name = statement->column_text(0);
    if (statement->is_null(1)) continue;
    auto record = parse_record(name, statement->column_text(1));
    if (!record) {
      warnings.push_back(record.error().message);
      continue;
    }
    monitor.load(name, std::move(*record));
  }
  return warnings;
}

Result<InstanceRecord> MetricsStore::stored_record(const std::string& instance, std::vector<std::string>& warnings) {
  auto statement = m_db.prepare("SELECT metrics_json FROM backend_metrics WHERE backend_name = ?");
  if (!statement) return fail(statement.error());
  statement->bind(1, instance);
  auto row = statement->step();
  if (!row) return fail(row.error());
  if (!*row || statement->is_null(0)) return InstanceRecord{};
  auto record = parse_record(instance, statement->column_text(0));
  if (!record) {
    warnings.push_back(record.error().message);
    return InstanceRecord{};
  }
  return record;
}

Result<void> MetricsStore::write_row(const std::string& instance, const InstanceRecord& record) {
  const InstanceStats stats = record.stats();
  auto statement = m_db.prepare(
      "INSERT INTO backend_metrics (backend_name, avg_response_time_ms, success_rate, availability, "
      "last_health_check, metrics_json) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(backend_name) DO UPDATE SET "
      "avg_response_time_ms = excluded.avg_response_time_ms, success_rate = excluded.success_rate, "
      "availability = excluded.availability, last_health_check = excluded.last_health_check, "
      "metrics_json = excluded.metrics_json");
  if (!statement) return fail(statement.error());
  statement->bind(1, instance);
  if (stats.window_samples > 0) {
    statement->bind(2, static_cast<std::int64_t>(std::llround(to_millis(stats.avg_response_time))));
    statement->bind(3, stats.success_rate);
  } else {
    statement->bind_null(2).bind_null(3);
  }
  if (stats.availability_samples > 0) {
    statement->bind(4, stats.availability);
  } else {
    statement->bind_null(4);
  }
  if (stats.health) {
    statement->bind(5, format_iso8601(stats.health->checked_at));
  } else {
    statement->bind_null(5);
  }
  statement->bind(6, json_text(record.to_json()));
  return statement->run();
}

Result<void> MetricsStore::save(PerformanceMonitor& monitor) {
  auto pending = monitor.take_pending();
  if (pending.empty()) return {};
  auto transaction = store::Transaction::begin(m_db);
  if (!transaction) return fail(transaction.error());
  std::vector<std::string> warnings;
  std::map<std::string, InstanceRecord> merged;
  for (auto& [name, events] : pending) {
    auto record = stored_record(name, warnings);
    if (!record) return fail(record.error());
    for (const auto& event : events) std::visit([&](const auto& value) { record->add(value); }, event);
    CMDAI_TRY(write_row(name, *record));
    merged.emplace(name, std::move(*record));
  }
  CMDAI_TRY(transaction->commit());
  for (auto& [name, record] : merged) monitor.load(name, std::move(record));
  return {};
}

Result<void> MetricsStore::reset() { return m_db.exec("DELETE FROM backend_metrics"); }

}  // namespace cmdai::routing
