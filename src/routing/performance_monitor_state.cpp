// PerformanceMonitor: the thread-safe map of InstanceRecords.

#include "routing/performance_monitor.h"

namespace cmdai::routing {

PerformanceMonitor::Entry& PerformanceMonitor::entry(const std::string& instance) {
  auto it = m_entries.find(instance);
  if (it == m_entries.end()) it = m_entries.emplace(instance, Entry{}).first;
  return it->second;
}

void PerformanceMonitor::record_request(const std::string& instance, const RequestSample& sample) {
  std::lock_guard lock(m_mutex);
  Entry& e = entry(instance);
  e.record.add(sample);
  e.stats = e.record.stats();
  e.pending.emplace_back(sample);
}

void PerformanceMonitor::record_health(const std::string& instance, const HealthRecord& health) {
  std::lock_guard lock(m_mutex);
  Entry& e = entry(instance);
  e.record.add(health);
  e.stats = e.record.stats();
  e.pending.emplace_back(health);
}

void PerformanceMonitor::begin_request(const std::string& instance) {
  std::lock_guard lock(m_mutex);
  ++entry(instance).outstanding;
}

void PerformanceMonitor::end_request(const std::string& instance) {
  std::lock_guard lock(m_mutex);
  Entry& e = entry(instance);
  if (e.outstanding > 0) --e.outstanding;
}

int PerformanceMonitor::outstanding(const std::string& instance) const {
  std::lock_guard lock(m_mutex);
  auto it = m_entries.find(instance);
  return it == m_entries.end() ? 0 : it->second.outstanding;
}

InstanceStats PerformanceMonitor::stats(const std::string& instance) const {
  std::lock_guard lock(m_mutex);
  auto it = m_entries.find(instance);
  return it == m_entries.end() ? InstanceStats{} : it->second.stats;
}

std::map<std::string, InstanceStats> PerformanceMonitor::all_stats() const {
  std::lock_guard lock(m_mutex);
  std::map<std::string, InstanceStats> out;
  for (const auto& [name, e] : m_entries) out.emplace(name, e.stats);
  return out;
}

void PerformanceMonitor::load(const std::string& instance, InstanceRecord record) {
  std::lock_guard lock(m_mutex);
  Entry& e = entry(instance);
  for (const auto& event : e.pending) std::visit([&](const auto& value) { record.add(value); }, event);
  e.record = std::move(record);
  e.stats = e.record.stats();
}

std::map<std::string, std::vector<MonitorEvent>> PerformanceMonitor::take_pending() {
  std::lock_guard lock(m_mutex);
  std::map<std::string, std::vector<MonitorEvent>> out;
  for (auto& [name, e] : m_entries) {
    if (!e.pending.empty()) out.emplace(name, std::exchange(e.pending, {}));
  }
  return out;
}

void PerformanceMonitor::reset() {
  std::lock_guard lock(m_mutex);
  m_entries.clear();
}

}  // namespace cmdai::routing
