#pragma once
// PerformanceMonitor: what cmdai has seen of each instance - every request's
// response time, time to first token and outcome, and every health check.
// Per instance a ring buffer of recent samples yields the figures selection
// ranks by (InstanceStats). Figures are recomputed when a sample arrives, so
// reading them is a lookup.
//
// Thread safety: all members may be called from any thread.
//
// Persistence (MetricsStore) is separate: the monitor remembers which events
// arrived since the last load so that several processes' samples merge
// instead of overwriting each other.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/entities.h"
#include "core/error.h"
#include "routing/ring_buffer.h"

namespace cmdai::routing {

inline constexpr std::size_t k_sample_window = 100;  // recent requests kept per instance
inline constexpr std::size_t k_health_window = 50;   // recent up/down observations kept

enum class Outcome { success, failure };

struct RequestSample {
  Timestamp at;
  Micros response_time{0};
  std::optional<Micros> time_to_first_token;  // unset when no token arrived
  Outcome outcome = Outcome::success;
  std::string error;  // failures: what went wrong, in words
};

// What a server said about its model during a health check (llama-server
// /props and /v1/models, vLLM /v1/models, Ollama /api/show). Empty or 0:
// not reported.
struct ReportedModel {
  int context_length = 0;                 // tokens one request may use
  std::vector<std::string> capabilities;  // in the server's words: "completion", "tools", "vision" ...
  std::string model_family;               // "qwen2", "llama" ...
  std::string source;                     // where it came from: "/props", "/v1/models", "/api/show"

  bool empty() const { return context_length == 0 && capabilities.empty() && model_family.empty(); }
  bool operator==(const ReportedModel&) const = default;
};

struct HealthRecord {
  HealthRecord() = default;
  HealthRecord(bool healthy_, std::string detail_, Micros latency_, Timestamp checked_at_,
               std::optional<ReportedModel> reported_ = std::nullopt)
      : healthy(healthy_),
        detail(std::move(detail_)),
        latency(latency_),
        checked_at(checked_at_),
        reported(std::move(reported_)) {}

  bool healthy = false;
  std::string detail;  // "ok", "connection refused", "timed out after 1500 ms" ...
  Micros latency{0};
  Timestamp checked_at;
  std::optional<ReportedModel> reported;  // set by health checks of servers that describe their model
  // The models the server lists (/api/tags, /v1/models), in its order; and
  // those it marks as embedding-only (Ollama's BERT families). Empty when
  // the check lists none or the backend has no list.
  std::vector<std::string> models;
  std::vector<std::string> embedding_models;
};

struct InstanceStats {
  std::size_t window_samples = 0;  // samples behind the averages; 0: nothing measured yet
  Micros avg_response_time{0};     // successful requests in the window
  Micros p95_response_time{0};
  Micros avg_time_to_first_token{0};
  double success_rate = 0;  // window; meaningful when window_samples > 0
  // Share of recent health observations that found it up: health checks,
  // and the outcome of requests the dispatcher reports as health.
  double availability = 0;
  std::size_t availability_samples = 0;
  std::uint64_t total_requests = 0;  // since the last reset, across processes
  std::uint64_t successful_requests = 0;
  std::uint64_t failed_requests = 0;
  std::optional<HealthRecord> health;  // the newest health check
  // From the newest health check that reported one; a later check or
  // request outcome without a report does not erase it.
  std::optional<ReportedModel> reported_model;
  std::string last_error;
};

// One instance's history. A value type; PerformanceMonitor holds one per name.
class InstanceRecord {
 public:
  InstanceRecord() : m_samples(k_sample_window), m_up(k_health_window) {}

  void add(const RequestSample& sample);
  void add(const HealthRecord& health);
  InstanceStats stats() const;

  // metrics_json of backend_metrics. from_json accepts what to_json wrote;
  // anything else is corruption (the caller starts the instance afresh).
  nlohmann::json to_json() const;
  static Result<InstanceRecord> from_json(const nlohmann::json& json);

 private:
  RingBuffer<RequestSample> m_samples;
  RingBuffer<bool> m_up;
  std::uint64_t m_total = 0;
  std::uint64_t m_successful = 0;
  std::uint64_t m_failed = 0;
  std::optional<HealthRecord> m_health;
  std::optional<ReportedModel> m_reported;
  Timestamp m_reported_at;
};

using MonitorEvent = std::variant<RequestSample, HealthRecord>;

class PerformanceMonitor {
 public:
  void record_request(const std::string& instance, const RequestSample& sample);
  void record_health(const std::string& instance, const HealthRecord& health);

  // Requests in flight, for least-outstanding load balancing.
  void begin_request(const std::string& instance);
  void end_request(const std::string& instance);
  int outstanding(const std::string& instance) const;

  // Stats of an instance never seen are all zero with no health.
  InstanceStats stats(const std::string& instance) const;
  std::map<std::string, InstanceStats> all_stats() const;

  // Replaces an instance's record (loaded from the store). Events recorded
  // since the last load stay pending and are replayed on top of it.
  void load(const std::string& instance, InstanceRecord record);
  // Events recorded since the last take, oldest first; the store replays them
  // onto the stored record inside a transaction.
  std::map<std::string, std::vector<MonitorEvent>> take_pending();
  void reset();

 private:
  struct Entry {
    InstanceRecord record;
    InstanceStats stats;
    std::vector<MonitorEvent> pending;
    int outstanding = 0;
  };
  Entry& entry(const std::string& instance);

  mutable std::mutex m_mutex;
  std::map<std::string, Entry, std::less<>> m_entries;
};

}  // namespace cmdai::routing
