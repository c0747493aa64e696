#include "routing/performance_monitor.h"

#include <algorithm>

#include "core/entity_json.h"
#include "core/time.h"

namespace cmdai::routing {
namespace {

constexpr int k_json_version = 1;

nlohmann::json reported_json(const ReportedModel& model) {
  return {{"context_length", model.context_length},
          {"capabilities", model.capabilities},
          {"model_family", model.model_family},
          {"source", model.source}};
}

ReportedModel reported_from_json(const nlohmann::json& json) {
  ReportedModel model;
  model.context_length = json.at("context_length").get<int>();
  model.capabilities = json.at("capabilities").get<std::vector<std::string>>();
  model.model_family = json.at("model_family").get<std::string>();
  model.source = json.at("source").get<std::string>();
  return model;
}

nlohmann::json health_json(const HealthRecord& health) {
  nlohmann::json out{{"healthy", health.healthy},
                     {"detail", health.detail},
                     {"latency_ms", to_millis(health.latency)},
                     {"checked_at", format_iso8601(health.checked_at)}};
  if (!health.models.empty()) out["models"] = health.models;
  if (!health.embedding_models.empty()) out["embedding_models"] = health.embedding_models;
  return out;
}

Result<HealthRecord> health_from_json(const nlohmann::json& json) {
  auto checked_at = parse_iso8601(json.at("checked_at").get<std::string>());
  if (!checked_at) return fail(checked_at.error());
  HealthRecord health{json.at("healthy").get<bool>(), json.at("detail").get<std::string>(),
                      from_millis(json.at("latency_ms").get<double>()), *checked_at};
  // Written since model lists are kept; older records have neither key.
  health.models = json.value("models", std::vector<std::string>{});
  health.embedding_models = json.value("embedding_models", std::vector<std::string>{});
  return health;
}

nlohmann::json sample_json(const RequestSample& sample) {
  nlohmann::json out{{"at", format_iso8601(sample.at)},
                     {"response_time_ms", to_millis(sample.response_time)},
                     {"success", sample.outcome == Outcome::success}};
  out["time_to_first_token_ms"] =
      sample.time_to_first_token ? nlohmann::json(to_millis(*sample.time_to_first_token)) : nlohmann::json(nullptr);
  if (!sample.error.empty()) out["error"] = sample.error;
  return out;
}

Result<RequestSample> sample_from_json(const nlohmann::json& json) {
  auto at = parse_iso8601(json.at("at").get<std::string>());
  if (!at) return fail(at.error());
  RequestSample sample;
  sample.at = *at;
  sample.response_time = from_millis(json.at("response_time_ms").get<double>());
  const auto& ttft = json.at("time_to_first_token_ms");
  if (!ttft.is_null()) sample.time_to_first_token = from_millis(ttft.get<double>());
  sample.outcome = json.at("success").get<bool>() ? Outcome::success : Outcome::failure;
  sample.error = json.value("error", "");
  return sample;
}

}  // namespace

void InstanceRecord::add(const RequestSample& sample) {
  m_samples.push(sample);
  ++m_total;
  ++(sample.outcome == Outcome::success ? m_successful : m_failed);
}

void InstanceRecord::add(const HealthRecord& health) {
  m_up.push(health.healthy);
  if (!m_health || m_health->checked_at <= health.checked_at) m_health = health;
  if (health.reported && (!m_reported || m_reported_at <= health.checked_at)) {
    m_reported = health.reported;
    m_reported_at = health.checked_at;
  }
}

InstanceStats InstanceRecord::stats() const {
  InstanceStats stats;
  std::vector<Micros::rep> times;
  Micros::rep ttft_sum = 0;
  std::size_t ttft_count = 0;
  m_samples.for_each([&](const RequestSample& s) {
    if (s.outcome == Outcome::success) times.push_back(s.response_time.count());
    if (s.time_to_first_token) {
      ttft_sum += s.time_to_first_token->count();
      ++ttft_count;
    }
    if (s.outcome == Outcome::failure) stats.last_error = s.error;
  });
  stats.window_samples = m_samples.size();
  if (!times.empty()) {
    Micros::rep sum = 0;
    for (auto t : times) sum += t;
    stats.avg_response_time = Micros{sum / static_cast<Micros::rep>(times.size())};
    // Nearest-rank p95.
    const std::size_t rank = (times.size() * 95 + 99) / 100;
    std::nth_element(times.begin(), times.begin() + static_cast<long>(rank - 1), times.end());
    stats.p95_response_time = Micros{times[rank - 1]};
  }
  if (ttft_count > 0) stats.avg_time_to_first_token = Micros{ttft_sum / static_cast<Micros::rep>(ttft_count)};
  if (!m_samples.empty())
    stats.success_rate = static_cast<double>(times.size()) / static_cast<double>(m_samples.size());
  std::size_t up = 0;
  m_up.for_each([&](bool u) { up += u ? 1 : 0; });
  stats.availability_samples = m_up.size();
  if (!m_up.empty()) stats.availability = static_cast<double>(up) / static_cast<double>(m_up.size());
  stats.total_requests = m_total;
  stats.successful_requests = m_successful;
  stats.failed_requests = m_failed;
  stats.health = m_health;
  stats.reported_model = m_reported;
  return stats;
}

nlohmann::json InstanceRecord::to_json() const {
  const InstanceStats s = stats();
  nlohmann::json samples = nlohmann::json::array();
  m_samples.for_each([&](const RequestSample& sample) { samples.push_back(sample_json(sample)); });
  nlohmann::json up = nlohmann::json::array();
  m_up.for_each([&](bool u) { up.push_back(u); });
  return {{"version", k_json_version},
          {"total_requests", m_total},
          {"successful_requests", m_successful},
          {"failed_requests", m_failed},
          {"avg_response_time_ms", to_millis(s.avg_response_time)},
          {"p95_response_time_ms", to_millis(s.p95_response_time)},
          {"avg_time_to_first_token_ms", to_millis(s.avg_time_to_first_token)},
          {"success_rate", s.success_rate},
          {"availability", s.availability},
          {"health", m_health ? health_json(*m_health) : nlohmann::json(nullptr)},
          {"recent_requests", samples},
          {"recent_availability", up},
          {"reported_model", m_reported ? reported_json(*m_reported) : nlohmann::json(nullptr)},
          {"reported_at", m_reported ? nlohmann::json(format_iso8601(m_reported_at)) : nlohmann::json(nullptr)}};
}

Result<InstanceRecord> InstanceRecord::from_json(const nlohmann::json& json) try {
  if (!json.is_object() || json.value("version", 0) != k_json_version) {
    return fail(ErrorCode::corruption, "metrics_json has an unknown layout");
  }
  InstanceRecord record;
  for (const auto& item : json.at("recent_requests")) {
    auto sample = sample_from_json(item);
    if (!sample) return fail(ErrorCode::corruption, "metrics_json has a bad sample: " + sample.error().message);
    record.m_samples.push(*sample);
  }
  for (const auto& item : json.at("recent_availability")) record.m_up.push(item.get<bool>());
  record.m_total = json.at("total_requests").get<std::uint64_t>();
  record.m_successful = json.at("successful_requests").get<std::uint64_t>();
  record.m_failed = json.at("failed_requests").get<std::uint64_t>();
  if (const auto& health = json.at("health"); !health.is_null()) {
    auto parsed = health_from_json(health);
    if (!parsed) return fail(ErrorCode::corruption, "metrics_json has a bad health record");
    record.m_health = *parsed;
  }
  // Written since reported models were added; older rows have neither key.
  if (auto it = json.find("reported_model"); it != json.end() && !it->is_null()) {
    auto at = parse_iso8601(json.at("reported_at").get<std::string>());
    if (!at) return fail(ErrorCode::corruption, "metrics_json has a bad reported_at");
    record.m_reported = reported_from_json(*it);
    record.m_reported_at = *at;
  }
  return record;
} catch (const nlohmann::json::exception& e) {
  return fail(ErrorCode::corruption, std::string("metrics_json is malformed: ") + e.what());
}

}  // namespace cmdai::routing
