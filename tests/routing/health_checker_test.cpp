#include "routing/health_checker.h"

#include <gtest/gtest.h>

#include "routing/fake_backend.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::routing {
namespace {

using testing::server;

class HealthCheckerTest : public ::testing::Test {
 protected:
  HealthChecker checker(std::chrono::milliseconds timeout = k_health_timeout) {
    return HealthChecker(
        m_fleet.factory(), [this] { return m_env.now(); }, timeout);
  }
  testing::FakeEnv m_env;
  testing::FakeFleet m_fleet;
};

TEST_F(HealthCheckerTest, ServerHealthComesFromTheBackendWithCheckTime) {
  m_fleet.script("up");
  m_fleet.script("down")->healthy = false;
  m_fleet.script("down")->health_detail = "model not loaded";
  const auto up = checker().check(server("up"), {});
  EXPECT_TRUE(up.healthy);
  EXPECT_EQ(up.checked_at, m_env.now());
  const auto down = checker().check(server("down"), {});
  EXPECT_FALSE(down.healthy);
  EXPECT_EQ(down.detail, "model not loaded");
  const auto missing = checker().check(server("not-scripted"), {});
  EXPECT_FALSE(missing.healthy);
  EXPECT_NE(missing.detail.find("not scripted"), std::string::npos);
}

TEST_F(HealthCheckerTest, LlamaIsHealthyWhenItsModelFileExists) {
  testing::TempDir dir;
  auto llama = server("llama", BackendType::llama, "");
  llama.model = (dir / "model.gguf").string();
  EXPECT_FALSE(checker().check(llama, {}).healthy);
  ASSERT_TRUE(m_env.write_file_atomic(dir / "model.gguf", "GGUF"));
  EXPECT_TRUE(checker().check(llama, {}).healthy);
  EXPECT_TRUE(checker().check(server("rules", BackendType::rules, ""), {}).healthy);
}

TEST_F(HealthCheckerTest, AHangingServerTimesOutAndIsAskedToStop) {
  auto script = m_fleet.script("hung");
  script->hang_health_until_stopped = true;
  const auto record = checker(std::chrono::milliseconds(1)).check(server("hung"), {});
  EXPECT_FALSE(record.healthy);
  EXPECT_EQ(record.detail, "timed out after 1 ms");
  EXPECT_EQ(script->health_checks, 1);
}

TEST_F(HealthCheckerTest, StopRequestEndsEveryParallelCheck) {
  std::vector<BackendInstance> instances;
  for (int i = 0; i < 8; ++i) {
    const std::string name = "hung" + std::to_string(i);
    m_fleet.script(name)->hang_health_until_stopped = true;
    instances.push_back(server(name));
  }
  m_fleet.script("fine");
  instances.push_back(server("fine"));
  std::vector<const BackendInstance*> pointers;
  for (const auto& i : instances) pointers.push_back(&i);
  std::stop_source stop;
  // An hour-long timeout: only the stop request can end the hung checks.
  const HealthChecker slow = checker(std::chrono::hours(1));
  std::jthread stopper([&] {
    while (m_fleet.script("hung7")->health_checks == 0) std::this_thread::yield();
    stop.request_stop();
  });
  const auto results = slow.check_all(pointers, stop.get_token());
  ASSERT_EQ(results.size(), 9u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(results[i].detail, "check cancelled");
  EXPECT_TRUE(results[8].healthy);
}

TEST_F(HealthCheckerTest, StalenessFollowsTheCheckTime) {
  InstanceStats stats;
  EXPECT_TRUE(is_stale(stats, m_env.now()));
  stats.health = HealthRecord{true, "ok", {}, m_env.now()};
  EXPECT_FALSE(is_stale(stats, m_env.now()));
  m_env.advance(k_health_ttl + std::chrono::seconds(1));
  EXPECT_TRUE(is_stale(stats, m_env.now()));
}

TEST_F(HealthCheckerTest, RefresherRecordsResultsAndIsJoined) {
  m_fleet.script("a");
  m_fleet.script("b")->healthy = false;
  PerformanceMonitor monitor;
  const HealthChecker c = checker();
  {
    HealthRefresher refresher;
    refresher.start(c, {server("a"), server("b")}, monitor);
    refresher.wait();
    EXPECT_FALSE(refresher.running());
  }
  EXPECT_TRUE(monitor.stats(metrics_key(server("a"))).health->healthy);
  EXPECT_FALSE(monitor.stats(metrics_key(server("b"))).health->healthy);
}

TEST_F(HealthCheckerTest, CancelledRefresherRecordsNothing) {
  m_fleet.script("hung")->hang_health_until_stopped = true;
  PerformanceMonitor monitor;
  const HealthChecker c = checker(std::chrono::hours(1));
  HealthRefresher refresher;
  refresher.start(c, {server("hung")}, monitor);
  while (m_fleet.script("hung")->health_checks == 0) std::this_thread::yield();
  refresher.cancel();
  EXPECT_FALSE(monitor.stats(metrics_key(server("hung"))).health.has_value());
}

}  // namespace
}  // namespace cmdai::routing
