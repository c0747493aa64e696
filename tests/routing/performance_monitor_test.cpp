#include "routing/performance_monitor.h"

#include <gtest/gtest.h>

#include "support/fake_env.h"

namespace cmdai::routing {
namespace {

RequestSample ok(Timestamp at, int ms) { return {at, Micros{ms * 1000}, Micros{ms * 100}, Outcome::success, ""}; }
RequestSample failed(Timestamp at, const std::string& why) {
  return {at, Micros{5000}, std::nullopt, Outcome::failure, why};
}

TEST(PerformanceMonitor, AveragesP95AndSuccessRateOverTheWindow) {
  testing::FakeEnv env;
  PerformanceMonitor monitor;
  for (int ms = 1; ms <= 100; ++ms) monitor.record_request("a", ok(env.now(), ms));
  monitor.record_request("a", failed(env.now(), "connection refused"));
  const InstanceStats s = monitor.stats("a");
  EXPECT_EQ(s.window_samples, k_sample_window);  // the oldest sample left the ring
  EXPECT_EQ(s.total_requests, 101u);
  EXPECT_EQ(s.successful_requests, 100u);
  EXPECT_EQ(s.failed_requests, 1u);
  EXPECT_DOUBLE_EQ(s.success_rate, 0.99);
  // Window holds 2..100 ms: mean 51 ms, nearest-rank p95 of 99 values is the 95th: 96 ms.
  EXPECT_EQ(s.avg_response_time, Micros{51'000});
  EXPECT_EQ(s.p95_response_time, Micros{96'000});
  EXPECT_EQ(s.last_error, "connection refused");
}

TEST(PerformanceMonitor, AvailabilityCountsHealthObservations) {
  testing::FakeEnv env;
  PerformanceMonitor monitor;
  monitor.record_health("a", {true, "ok", {}, env.now()});
  monitor.record_health("a", {true, "ok", {}, env.now()});
  monitor.record_health("a", {true, "ok", {}, env.now()});
  env.advance(std::chrono::seconds(5));
  monitor.record_health("a", {false, "connection refused", {}, env.now()});
  const InstanceStats s = monitor.stats("a");
  EXPECT_DOUBLE_EQ(s.availability, 0.75);
  ASSERT_TRUE(s.health);
  EXPECT_FALSE(s.health->healthy);
  EXPECT_EQ(s.health->checked_at, env.now());
}

TEST(PerformanceMonitor, OlderHealthNeverReplacesNewer) {
  testing::FakeEnv env;
  PerformanceMonitor monitor;
  monitor.record_health("a", {true, "ok", {}, env.now()});
  monitor.record_health("a", {false, "late report", {}, env.now() - std::chrono::seconds(30)});
  EXPECT_TRUE(monitor.stats("a").health->healthy);
}

TEST(PerformanceMonitor, OutstandingCountsRequestsInFlight) {
  PerformanceMonitor monitor;
  monitor.begin_request("a");
  monitor.begin_request("a");
  monitor.end_request("a");
  EXPECT_EQ(monitor.outstanding("a"), 1);
  monitor.end_request("a");
  monitor.end_request("a");
  EXPECT_EQ(monitor.outstanding("a"), 0);
  EXPECT_EQ(monitor.outstanding("never-seen"), 0);
}

TEST(InstanceRecord, JsonRoundTripKeepsSamplesCountersAndHealth) {
  testing::FakeEnv env;
  InstanceRecord record;
  record.add(ok(env.now(), 120));
  record.add(failed(env.now(), "timed out"));
  record.add(HealthRecord{true, "ok", Micros{900}, env.now()});
  auto back = InstanceRecord::from_json(nlohmann::json::parse(record.to_json().dump()));
  ASSERT_TRUE(back) << back.error().describe();
  const auto a = record.stats();
  const auto b = back->stats();
  EXPECT_EQ(b.total_requests, 2u);
  EXPECT_EQ(b.avg_response_time, a.avg_response_time);
  EXPECT_EQ(b.p95_response_time, a.p95_response_time);
  EXPECT_DOUBLE_EQ(b.success_rate, 0.5);
  ASSERT_TRUE(b.health);
  EXPECT_EQ(b.health->checked_at, env.now());
  EXPECT_EQ(b.last_error, "timed out");
}

TEST(InstanceRecord, MalformedJsonIsCorruptionNotACrash) {
  for (const char* text : {"[]", "{}", R"({"version": 1})", R"({"version": 2, "recent_requests": []})",
                           R"({"version":1,"recent_requests":[{"at":"not a time"}],"recent_availability":[],)"
                           R"("total_requests":0,"successful_requests":0,"failed_requests":0,"health":null})",
                           R"({"version":1,"recent_requests":"x","recent_availability":[],"total_requests":-1})"}) {
    auto parsed = InstanceRecord::from_json(nlohmann::json::parse(text));
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::corruption) << text;
  }
}

TEST(InstanceRecord, TheReportedModelSurvivesLaterHealthAndTheJsonRoundTrip) {
  testing::FakeEnv env;
  InstanceRecord record;
  record.add(HealthRecord{true, "ok", Micros{900}, env.now(),
                          ReportedModel{4096, {"completion", "tools"}, "qwen2", "/api/show"}});
  env.advance(std::chrono::seconds(5));
  record.add(HealthRecord{false, "connection refused", Micros{900}, env.now()});
  ASSERT_TRUE(record.stats().reported_model);
  EXPECT_EQ(record.stats().reported_model->context_length, 4096);
  auto back = InstanceRecord::from_json(nlohmann::json::parse(record.to_json().dump()));
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->stats().reported_model, record.stats().reported_model);
  // Rows written before reported models existed have no such key.
  auto old = record.to_json();
  old.erase("reported_model");
  old.erase("reported_at");
  auto parsed = InstanceRecord::from_json(old);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->stats().reported_model);
  old["reported_model"] = {{"context_length", "big"}};
  old["reported_at"] = "2026-01-01T00:00:00Z";
  auto bad = InstanceRecord::from_json(old);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::corruption);
}

}  // namespace
}  // namespace cmdai::routing
