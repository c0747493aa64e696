#pragma once
// BackendSelector: picks the instance that answers a request and the
// fallback chain to try after it, from the registry and what the
// PerformanceMonitor knows (cached health, response times, success rates).
// It never probes: selection is a computation over cached figures and takes
// microseconds.
//
// Strategy:
//  1. The preference (--backend NAME|TYPE, or the configured one) when it is
//     healthy or not yet checked, and fits the criteria.
//  2. Otherwise the configured fallback chain decides the order of positions
//     (SelectionCriteria::chain_order): every instance sits at the first
//     chain entry that names it or its type; instances the chain does not
//     name come after every entry (they are never dropped). Within one
//     position: the fastest instance that is healthy (then: not yet checked)
//     and meets the criteria; measured instances before unmeasured ones;
//     ties broken by success rate, then local before remote, then registry
//     order. A later position is used only when no earlier one has a healthy
//     or unchecked instance that fits. An empty chain is one position.
//  3. rules, always last, wherever the chain names it.
// Instances whose newest health observation is "down" leave the chain.
// fallback_chain lists the remaining candidates in exactly this order.
//
// Model requirements compare the criteria with what the instance offers:
// its declared values (configuration), overridden by what the server
// reported in its last health check (InstanceStats::reported_model: the
// reported context length and family win; reported capabilities are added to
// the declared ones). Values neither declared nor reported never exclude.
//
// Load balancing across instances of one type: among the instances of the
// leading type at the leading chain position whose average response time is
// within 25% of the fastest
// (or which are all unmeasured), the one with the fewest requests in flight
// in this process wins; ties go to the one with fewer recorded requests.
// Because request counts are persisted, successive cmdai processes
// alternate between equally fast servers instead of all hitting the first.
//
// Figures are looked up by each instance's metrics_key (instance.h), so
// instances that differ only in name share them.
//
// Thread safety: select() is const and may run on several threads; the
// registry and monitor must outlive the selector.

#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "routing/instance.h"
#include "routing/performance_monitor.h"
#include "routing/registry.h"

namespace cmdai::routing {

enum class FallbackPolicy { allowed, disallowed };
// consult_cache: a preferred instance cached as down is passed over.
// ignore_cache: it is chosen anyway (the user spelled it out with
// --endpoint: what they typed is tried, whatever an old check said).
enum class PreferredHealth { consult_cache, ignore_cache };

struct SelectionCriteria {
  std::optional<std::string> preferred;               // an instance name, a type name, or "auto"; unset: auto
  std::optional<Micros> max_response_time;            // skip instances measured slower than this on average
  bool require_local = false;                         // skip instances that send data off the machine
  int min_context_length = 0;                         // skip instances declaring a smaller context
  std::vector<std::string> capabilities;              // skip instances declaring capabilities without these
  std::string model_family;                           // skip instances declaring another family
  FallbackPolicy fallback = FallbackPolicy::allowed;  // disallowed: the chain is empty
  PreferredHealth preferred_health = PreferredHealth::consult_cache;
  // Instance or type names in fallback order (backend.fallback_chain); empty:
  // one position for all. Names matching no instance are ignored.
  std::vector<std::string> chain_order;
};

struct SelectionResult {
  BackendType selected_backend = BackendType::rules;
  std::string instance;                     // the selected instance's name
  std::string selection_reason;             // in words: preference, performance, fallback, model requirements
  std::vector<std::string> fallback_chain;  // instance names to try after it, rules last
  Micros estimated_response_time{0};        // the instance's average; 0 when not measured yet
  std::string model;                        // the selected instance's model ("" : the server's default)
  std::string model_reason;                 // why that model, when it was picked from the server's list
};

class BackendSelector {
 public:
  BackendSelector(const Registry& registry, const PerformanceMonitor& monitor)
      : m_registry(registry), m_monitor(monitor) {}

  // `now` only words the reason ("checked 40 s ago").
  // Errors: not_found for an unknown preferred name ("did you mean ...?"
  // and the list of known names).
  Result<SelectionResult> select(const SelectionCriteria& criteria, Timestamp now) const;

 private:
  const Registry& m_registry;
  const PerformanceMonitor& m_monitor;
};

// Why `instance` does not meet `criteria`, or empty when it does.
std::string requirement_mismatch(const BackendInstance& instance, const InstanceStats& stats,
                                 const SelectionCriteria& criteria);

// What selection compares with the criteria: declared values with the
// reported ones applied (see the header comment).
struct OfferedModel {
  int context_length = 0;      // 0: unknown
  std::string context_source;  // "configured", or the server path that reported it
  std::vector<std::string> capabilities;
  std::string model_family;
};
OfferedModel offered_model(const BackendInstance& instance, const InstanceStats& stats);

// "avg 120 ms, p95 200 ms, 98% success" or "not measured yet".
std::string describe_performance(const InstanceStats& stats);

}  // namespace cmdai::routing
