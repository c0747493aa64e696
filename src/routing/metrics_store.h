#pragma once
// MetricsStore: PerformanceMonitor records in the seed's backend_metrics
// table (one row per instance: avg_response_time_ms, success_rate,
// availability, last_health_check; the ring buffers and counters in
// metrics_json). A new process loads the table and selects without probing.
//
// Several processes may save at once: save() replays only the events this
// process recorded onto the row as it is now, inside one write transaction,
// so nobody's samples are lost.
//
// A Database is used by one thread at a time; so is a MetricsStore.

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "routing/performance_monitor.h"
#include "store/database.h"

namespace cmdai::routing {

class MetricsStore {
 public:
  // Opens (creating and migrating) the database at path.
  static Result<MetricsStore> open(const std::filesystem::path& path);

  // Loads every stored row into monitor. A row whose metrics_json is
  // malformed is skipped (that instance starts afresh) and named in the
  // returned warnings; the row itself is left as it is until the next save.
  Result<std::vector<std::string>> load_into(PerformanceMonitor& monitor);

  // Writes the events recorded since the last save. On error the events are
  // lost (metrics are a cache) and the table is unchanged.
  Result<void> save(PerformanceMonitor& monitor);

  // Deletes every row (cmdai backends reset-metrics).
  Result<void> reset();

 private:
  explicit MetricsStore(store::Database db) : m_db(std::move(db)) {}
  Result<InstanceRecord> stored_record(const std::string& instance, std::vector<std::string>& warnings);
  Result<void> write_row(const std::string& instance, const InstanceRecord& record);

  store::Database m_db;
};

}  // namespace cmdai::routing
