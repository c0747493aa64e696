#pragma once
// HealthChecker: asks each instance whether it can answer, with a short
// timeout: the model file for llama, the server's own probe (/health,
// /v1/models, /api/tags) through Backend::check_health for the others,
// nothing for rules. Checks of several instances run in parallel, so a cold
// check of everything takes about the slowest timeout, not their sum.
//
// With a ModelInfoProbe, a server that answered its probe is also asked
// what its model offers (model_info.h), inside the same timeout; the answer
// travels in HealthRecord::reported.
//
// HealthRefresher runs such a check in the background (for instances whose
// cached result is stale) and records the results in a PerformanceMonitor.
// Its thread is joined by wait() or the destructor, never detached.

#include <chrono>
#include <functional>
#include <span>
#include <stop_token>
#include <thread>
#include <vector>

#include "core/entities.h"
#include "routing/instance.h"
#include "routing/model_info.h"
#include "routing/performance_monitor.h"

namespace cmdai::routing {

inline constexpr std::chrono::milliseconds k_health_timeout{1500};
inline constexpr std::chrono::seconds k_health_ttl{60};  // a cached check older than this is stale

using ClockFn = std::function<Timestamp()>;

// True when stats hold no health check, or one older than ttl at now.
bool is_stale(const InstanceStats& stats, Timestamp now, std::chrono::seconds ttl = k_health_ttl);

class HealthChecker {
 public:
  // model_info: empty asks servers nothing beyond their health probe.
  HealthChecker(BackendFactory factory, ClockFn clock, std::chrono::milliseconds timeout = k_health_timeout,
                ModelInfoProbe model_info = {});

  // Never blocks much longer than the timeout (the instance's own timeout
  // if shorter): at the deadline the backend is asked to stop and the result
  // is "timed out". A stop request on `stop` ends the check the same way.
  HealthRecord check(const BackendInstance& instance, std::stop_token stop) const;

  // One thread per instance; results in the order given.
  std::vector<HealthRecord> check_all(std::span<const BackendInstance* const> instances, std::stop_token stop) const;

 private:
  HealthRecord probe_server(const BackendInstance& instance, std::chrono::milliseconds timeout,
                            std::stop_token stop) const;

  BackendFactory m_factory;
  ClockFn m_clock;
  std::chrono::milliseconds m_timeout;
  ModelInfoProbe m_model_info;
};

class HealthRefresher {
 public:
  HealthRefresher() = default;
  HealthRefresher(const HealthRefresher&) = delete;
  HealthRefresher& operator=(const HealthRefresher&) = delete;
  ~HealthRefresher() { cancel(); }

  // Starts checking `instances` (copied) and recording into monitor (under
  // each instance's metrics_key), which
  // must outlive this object or the next wait()/cancel(). A refresh already
  // running is waited for first.
  void start(const HealthChecker& checker, std::vector<BackendInstance> instances, PerformanceMonitor& monitor);
  // Waits for the running refresh to finish (bounded by the check timeout).
  void wait();
  // Asks the running refresh to stop and waits for it.
  void cancel();
  bool running() const { return m_thread.joinable(); }

 private:
  std::jthread m_thread;
};

}  // namespace cmdai::routing
