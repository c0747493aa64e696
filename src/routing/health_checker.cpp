#include "routing/health_checker.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>

namespace cmdai::routing {
namespace {

using SteadyClock = std::chrono::steady_clock;

Micros since(SteadyClock::time_point start) { return std::chrono::duration_cast<Micros>(SteadyClock::now() - start); }

HealthRecord check_model_file(const BackendInstance& instance) {
  std::error_code ec;
  if (instance.model.empty()) return {false, "no model file configured", {}, {}};
  if (!std::filesystem::is_regular_file(instance.model, ec))
    return {false, "model file missing: " + instance.model, {}, {}};
  return {true, "model file present", {}, {}};
}

}  // namespace

bool is_stale(const InstanceStats& stats, Timestamp now, std::chrono::seconds ttl) {
  return !stats.health || stats.health->checked_at + ttl < now;
}

HealthChecker::HealthChecker(BackendFactory factory, ClockFn clock, std::chrono::milliseconds timeout,
                             ModelInfoProbe model_info)
    : m_factory(std::move(factory)),
      m_clock(std::move(clock)),
      m_timeout(timeout),
      m_model_info(std::move(model_info)) {}

HealthRecord HealthChecker::check(const BackendInstance& instance, std::stop_token stop) const {
  const auto start = SteadyClock::now();
  HealthRecord record;
  switch (instance.type) {
    case BackendType::rules: record = {true, "always available", {}, {}}; break;
    case BackendType::llama: record = check_model_file(instance); break;
    default: record = probe_server(instance, std::min(m_timeout, instance.timeout), stop); break;
  }
  record.latency = since(start);
  record.checked_at = m_clock();
  return record;
}

HealthRecord HealthChecker::probe_server(const BackendInstance& instance, std::chrono::milliseconds timeout,
                                         std::stop_token stop) const {
  BackendInstance probe = instance;
  probe.timeout = timeout;
  auto backend = m_factory(probe);
  if (!backend) return {false, backend.error().message, {}, {}};

  std::mutex mutex;
  std::condition_variable done_cv;
  std::optional<Result<llm::HealthStatus>> status;
  std::optional<ReportedModel> reported;
  std::stop_source probe_stop;
  std::stop_callback forward(stop, [&] { probe_stop.request_stop(); });
  const auto deadline = SteadyClock::now() + timeout;
  {
    std::jthread worker([&] {
      auto result = (*backend)->check_health(probe_stop.get_token());
      std::optional<ReportedModel> model;
      if (m_model_info && result && result->healthy) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        model = m_model_info(instance, left, probe_stop.get_token());
      }
      std::lock_guard lock(mutex);
      status = std::move(result);
      reported = std::move(model);
      done_cv.notify_all();
    });
    std::unique_lock lock(mutex);
    const bool finished =
        done_cv.wait_until(lock, deadline, [&] { return status.has_value() || stop.stop_requested(); });
    if (!finished || !status) probe_stop.request_stop();
  }  // joins the worker: backends honour the stop token in their transport
  if (stop.stop_requested() && (!status || !*status)) return {false, "check cancelled", {}, {}};
  if (!status || (!*status && status->error().code == ErrorCode::timeout) ||
      (!*status && status->error().code == ErrorCode::cancelled)) {
    return {false, "timed out after " + std::to_string(timeout.count()) + " ms", {}, {}};
  }
  if (!*status) return {false, status->error().message, {}, {}};
  HealthRecord record{
      (*status)->healthy, (*status)->detail.empty() ? "ok" : (*status)->detail, {}, {}, std::move(reported)};
  record.models = std::move((*status)->models);
  record.embedding_models = std::move((*status)->embedding_models);
  return record;
}

std::vector<HealthRecord> HealthChecker::check_all(std::span<const BackendInstance* const> instances,
                                                   std::stop_token stop) const {
  std::vector<HealthRecord> results(instances.size());
  {
    std::vector<std::jthread> workers;
    workers.reserve(instances.size());
    for (std::size_t i = 0; i < instances.size(); ++i) {
      workers.emplace_back([this, &results, &instances, i, stop] { results[i] = check(*instances[i], stop); });
    }
  }
  return results;
}

void HealthRefresher::start(const HealthChecker& checker, std::vector<BackendInstance> instances,
                            PerformanceMonitor& monitor) {
  wait();
  m_thread = std::jthread([&checker, &monitor, instances = std::move(instances)](std::stop_token stop) {
    std::vector<const BackendInstance*> pointers;
    for (const auto& instance : instances) pointers.push_back(&instance);
    const auto results = checker.check_all(pointers, stop);
    if (stop.stop_requested()) return;
    for (std::size_t i = 0; i < instances.size(); ++i) monitor.record_health(metrics_key(instances[i]), results[i]);
  });
}

void HealthRefresher::wait() {
  if (m_thread.joinable()) m_thread.join();
}

void HealthRefresher::cancel() {
  if (!m_thread.joinable()) return;
  m_thread.request_stop();
  m_thread.join();
}

}  // namespace cmdai::routing
