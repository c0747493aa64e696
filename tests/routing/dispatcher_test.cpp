#include "routing/dispatcher.h"

#include <gtest/gtest.h>

#include "routing/fake_backend.h"
#include "support/fake_env.h"

namespace cmdai::routing {
namespace {

using testing::server;

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto gpu1 = server("gpu1");
    gpu1.retries = 0;
    auto registry = Registry::create({gpu1, server("gpu2"), server("rules", BackendType::rules, "")});
    ASSERT_TRUE(registry);
    m_registry.emplace(std::move(*registry));
    m_fleet.script("gpu1");
    m_fleet.script("gpu2");
    m_fleet.script("rules");
  }
  Result<DispatchResult> run(SelectionResult selection, std::stop_token stop = {}) {
    Dispatcher dispatcher(*m_registry, m_monitor, m_fleet.factory(), [this] { return m_env.now(); });
    return dispatcher.run(selection, m_attempt, stop);
  }
  // Figures live under what was measured (metrics_key), not the name.
  std::string key(const std::string& name) const { return metrics_key(*m_registry->find(name)); }
  static SelectionResult chain(std::string first, std::vector<std::string> rest) {
    SelectionResult s;
    s.instance = std::move(first);
    s.fallback_chain = std::move(rest);
    return s;
  }

  testing::FakeEnv m_env;
  testing::FakeFleet m_fleet;
  PerformanceMonitor m_monitor;
  std::optional<Registry> m_registry;
  std::string m_answer;
  Attempt m_attempt = [this](llm::Backend& backend) -> Result<void> {
    auto completion = backend.complete({}, [](std::string_view) {}, {});
    if (!completion) return fail(completion.error());
    m_answer = completion->text;
    return {};
  };
};

TEST_F(DispatcherTest, FailureBeforeFirstTokenMovesOnWithOneNoticeAndIsRecorded) {
  m_fleet.script("gpu1")->fail_before_token = Error{ErrorCode::unavailable, "connection refused", {}};
  auto result = run(chain("gpu1", {"gpu2", "rules"}));
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "gpu2");
  ASSERT_EQ(result->notices.size(), 1u);
  EXPECT_EQ(result->notices[0], "gpu1 (connection refused) could not answer; answered by gpu2 instead");
  const auto gpu1 = m_monitor.stats(key("gpu1"));
  EXPECT_EQ(gpu1.failed_requests, 1u);
  ASSERT_TRUE(gpu1.health);
  EXPECT_FALSE(gpu1.health->healthy);  // the next selection skips it without probing
  EXPECT_EQ(gpu1.health->checked_at, m_env.now());
  const auto gpu2 = m_monitor.stats(key("gpu2"));
  EXPECT_EQ(gpu2.successful_requests, 1u);
  EXPECT_TRUE(gpu2.health->healthy);
  EXPECT_EQ(m_monitor.outstanding(key("gpu2")), 0);
}

TEST_F(DispatcherTest, FailureAfterFirstTokenIsReturnedNotRetriedElsewhere) {
  m_fleet.script("gpu1")->fail_after_token = Error{ErrorCode::timeout, "stalled mid-answer", {}};
  auto result = run(chain("gpu1", {"gpu2", "rules"}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "stalled mid-answer");
  EXPECT_EQ(m_fleet.script("gpu2")->completions, 0);
  EXPECT_EQ(m_monitor.stats(key("gpu1")).failed_requests, 1u);
}

TEST_F(DispatcherTest, UnavailableIsRetriedOnTheSameInstanceTimeoutIsNot) {
  m_fleet.script("gpu2")->fail_before_token = Error{ErrorCode::unavailable, "restarting", {}};
  auto result = run(chain("gpu2", {"rules"}));
  ASSERT_TRUE(result);
  EXPECT_EQ(m_fleet.script("gpu2")->completions, 2);  // retries = 1
  EXPECT_EQ(result->backend_used, "rules");
  ASSERT_EQ(result->notices.size(), 1u);
  EXPECT_EQ(result->notices[0], "gpu2 (restarting) could not answer; answered by rules instead");

  m_fleet.script("gpu2")->completions = 0;
  m_fleet.script("gpu2")->fail_before_token = Error{ErrorCode::timeout, "timed out", {}};
  ASSERT_TRUE(run(chain("gpu2", {"rules"})));
  EXPECT_EQ(m_fleet.script("gpu2")->completions, 1);
}

TEST_F(DispatcherTest, AnInstanceThatCannotBeCreatedIsAFailureToo) {
  auto registry = Registry::create({server("ghost"), server("gpu2")});
  ASSERT_TRUE(registry);
  m_registry.emplace(std::move(*registry));
  auto result = run(chain("ghost", {"gpu2", "rules"}));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->backend_used, "gpu2");
  EXPECT_FALSE(m_monitor.stats(key("ghost")).health->healthy);
  EXPECT_EQ(m_monitor.stats(key("ghost")).failed_requests, 1u);  // building it again cannot help
}

TEST_F(DispatcherTest, EmptyChainTurnsTheFailureIntoAnError) {
  m_fleet.script("gpu1")->fail_before_token = Error{ErrorCode::unavailable, "connection refused", {}};
  auto result = run(chain("gpu1", {}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::unavailable);
  EXPECT_EQ(m_fleet.script("gpu2")->completions, 0);
}

TEST_F(DispatcherTest, EveryInstanceFailingNamesThemAllInTheHint) {
  m_fleet.script("gpu1")->fail_before_token = Error{ErrorCode::unavailable, "refused", {}};
  m_fleet.script("rules")->fail_before_token = Error{ErrorCode::unavailable, "no offline rule", {}};
  auto result = run(chain("gpu1", {"rules"}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "no offline rule");
  EXPECT_NE(result.error().hint.find("also tried gpu1: refused"), std::string::npos) << result.error().hint;
  EXPECT_EQ(m_fleet.script("rules")->completions, 1);
  // rules refusing a request is not rules being down.
  EXPECT_FALSE(m_monitor.stats(key("rules")).health.has_value());
}

TEST_F(DispatcherTest, StopRequestedEndsWithCancelledAndRecordsNothing) {
  std::stop_source stop;
  stop.request_stop();
  auto result = run(chain("gpu1", {"rules"}), stop.get_token());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::cancelled);
  EXPECT_EQ(m_monitor.stats(key("gpu1")).total_requests, 0u);
}

}  // namespace
}  // namespace cmdai::routing
