#pragma once
// Dispatcher: sends one request to the selected instance and, when it fails
// before producing its first token, to the next in the fallback chain. Every
// attempt is measured (response time, time to first token, outcome) and
// recorded in the PerformanceMonitor under the instance's metrics_key; an
// instance that could not be reached
// is also recorded as down, so the next selection skips it without probing.
//
// Once a token has arrived the user has seen part of the answer: a failure
// after that is returned as it is, never retried elsewhere.
//
// Retries: an instance gets 1 + retries attempts when it fails with
// `unavailable` (connection refused, server restarting); a timeout moves on
// at once, since waiting again would double the worst case, and so does a
// backend that could not be built or the rules (their refusal is final).

#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/error.h"
#include "llm/backend.h"
#include "routing/health_checker.h"
#include "routing/instance.h"
#include "routing/performance_monitor.h"
#include "routing/registry.h"
#include "routing/selector.h"

namespace cmdai::routing {

// The work to do with a backend, e.g. one streaming generation. It must call
// backend.complete() at most once per call; an error makes the dispatcher
// try the next instance if no token was produced.
using Attempt = std::function<Result<void>(llm::Backend& backend)>;

struct AttemptReport {
  std::string instance;
  std::optional<Error> error;  // unset: this attempt answered
  bool produced_tokens = false;
  bool created = true;  // false: the backend object could not be built (never retried)
};

struct DispatchResult {
  std::string backend_used;  // the instance that answered
  BackendType backend_type = BackendType::rules;
  std::vector<AttemptReport> attempts;
  // At most one line: which instances failed and who answered instead.
  std::vector<std::string> notices;
};

class Dispatcher {
 public:
  // registry and monitor must outlive the dispatcher.
  Dispatcher(const Registry& registry, PerformanceMonitor& monitor, BackendFactory factory, ClockFn clock)
      : m_registry(registry), m_monitor(monitor), m_factory(std::move(factory)), m_clock(std::move(clock)) {}

  // Tries selection.instance, then selection.fallback_chain in order.
  // Errors: cancelled as soon as a stop is requested; the attempt's own error
  // when it failed after its first token; otherwise the last instance's
  // error, with every failure named in the hint.
  Result<DispatchResult> run(const SelectionResult& selection, const Attempt& attempt, std::stop_token stop);

 private:
  AttemptReport attempt_once(const BackendInstance& instance, const Attempt& attempt);
  void record(const BackendInstance& instance, const AttemptReport& report, Micros elapsed,
              std::optional<Micros> first_token);

  const Registry& m_registry;
  PerformanceMonitor& m_monitor;
  BackendFactory m_factory;
  ClockFn m_clock;
};

}  // namespace cmdai::routing
