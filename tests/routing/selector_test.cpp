// Deterministic selection: a fake clock (FakeEnv) and metrics injected into
// the PerformanceMonitor; nothing is probed.

#include "routing/selector.h"

#include <gtest/gtest.h>

#include "routing/fake_backend.h"
#include "support/fake_env.h"

namespace cmdai::routing {
namespace {

using testing::server;

class SelectorTest : public ::testing::Test {
 protected:
  void make(std::vector<BackendInstance> instances) {
    auto registry = Registry::create(std::move(instances));
    ASSERT_TRUE(registry) << registry.error().describe();
    m_registry.emplace(std::move(*registry));
  }
  // Figures live under what was measured (metrics_key), not the name.
  std::string key(const std::string& name) { return metrics_key(*m_registry->find(name)); }
  void up(const std::string& name) { m_monitor.record_health(key(name), {true, "ok", Micros{500}, m_env.now()}); }
  void down(const std::string& name) {
    m_monitor.record_health(key(name), {false, "connection refused", Micros{500}, m_env.now()});
  }
  void measured(const std::string& name, int ms, int count = 5, int failures = 0) {
    for (int i = 0; i < count; ++i) {
      m_monitor.record_request(key(name), {m_env.now(), Micros{ms * 1000}, std::nullopt, Outcome::success, ""});
    }
    for (int i = 0; i < failures; ++i) {
      m_monitor.record_request(key(name), {m_env.now(), Micros{ms * 1000}, std::nullopt, Outcome::failure, "500"});
    }
  }
  SelectionResult select(SelectionCriteria criteria = {}) {
    auto result = BackendSelector(*m_registry, m_monitor).select(criteria, m_env.now());
    EXPECT_TRUE(result) << result.error().describe();
    return result ? *result : SelectionResult{};
  }

  testing::FakeEnv m_env;
  PerformanceMonitor m_monitor;
  std::optional<Registry> m_registry;
};

TEST_F(SelectorTest, PreferredDownFallsBackWithTheReason) {
  make({server("gpu1"), server("home", BackendType::ollama)});
  down("gpu1");
  up("home");
  m_env.advance(std::chrono::seconds(40));
  SelectionCriteria criteria;
  criteria.preferred = "gpu1";
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "home");
  EXPECT_EQ(result.selected_backend, BackendType::ollama);
  EXPECT_TRUE(result.selection_reason.starts_with("fallback: gpu1"));
  EXPECT_NE(result.selection_reason.find("gpu1 is down (connection refused, checked 40 s ago)"), std::string::npos)
      << result.selection_reason;
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"rules"}));
}

TEST_F(SelectorTest, HealthyPreferenceWinsOverAFasterInstance) {
  make({server("fast"), server("slow", BackendType::ollama)});
  up("fast");
  up("slow");
  measured("fast", 100);
  measured("slow", 900);
  SelectionCriteria criteria;
  criteria.preferred = "slow";
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "slow");
  EXPECT_TRUE(result.selection_reason.starts_with("preference: slow was requested")) << result.selection_reason;
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"fast", "rules"}));
}

TEST_F(SelectorTest, FastestHealthyInstanceIsChosenOnPerformance) {
  make({server("slow", BackendType::ollama), server("fast", BackendType::openai), server("mid", BackendType::mlx)});
  for (const char* name : {"slow", "fast", "mid"}) up(name);
  measured("slow", 900);
  measured("fast", 120);
  measured("mid", 400);
  const auto result = select();
  EXPECT_EQ(result.instance, "fast");
  EXPECT_EQ(result.estimated_response_time, Micros{120'000});
  EXPECT_EQ(result.selection_reason,
            "performance: fast is the fastest healthy instance (avg 120 ms, p95 120 ms, 100% success)");
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"mid", "slow", "rules"}));
}

TEST_F(SelectorTest, TiesAreBrokenBySuccessRate) {
  make({server("flaky", BackendType::ollama), server("solid", BackendType::openai)});
  up("flaky");
  up("solid");
  measured("flaky", 200, 5, 5);
  measured("solid", 200, 5, 0);
  EXPECT_EQ(select().instance, "solid");
}

TEST_F(SelectorTest, RequirementMismatchSkipsAnInstance) {
  auto small = server("small");
  small.context_length = 2048;
  auto remote = server("remote", BackendType::openai, "https://api.example.com/v1");
  remote.local = false;
  auto other_family = server("other", BackendType::ollama);
  other_family.model_family = "llama";
  auto fits = server("fits", BackendType::mlx);
  fits.context_length = 8192;
  fits.model_family = "qwen2";
  fits.capabilities = {"json_schema", "streaming"};
  make({small, remote, other_family, fits});
  for (const char* name : {"small", "remote", "other", "fits"}) up(name);
  measured("small", 50);
  measured("remote", 60);
  measured("other", 70);
  measured("fits", 800);
  SelectionCriteria criteria;
  criteria.require_local = true;
  criteria.min_context_length = 4096;
  criteria.model_family = "qwen2";
  criteria.capabilities = {"json_schema"};
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "fits");
  // The reason names where the context length came from (here: the configuration).
  EXPECT_NE(result.selection_reason.find("model requirements: skipped small (context 2048 < 4096 tokens, configured), "
                                         "remote (remote, and local was required), "
                                         "other (model family llama, not qwen2)"),
            std::string::npos)
      << result.selection_reason;
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"rules"}));
}

TEST_F(SelectorTest, MaxResponseTimeSkipsSlowInstances) {
  make({server("slow"), server("fast", BackendType::ollama)});
  up("slow");
  up("fast");
  measured("slow", 3000);
  measured("fast", 800);
  SelectionCriteria criteria;
  criteria.max_response_time = Micros{1'000'000};
  criteria.preferred = "slow";
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "fast");
  EXPECT_NE(result.selection_reason.find("slow (avg 3000 ms > limit 1000 ms)"), std::string::npos)
      << result.selection_reason;
}

TEST_F(SelectorTest, TwoInstancesOfOneTypeShareLoad) {
  make({server("gpu1"), server("gpu2")});
  up("gpu1");
  up("gpu2");
  measured("gpu1", 200);
  measured("gpu2", 220);  // within 25%: equally fast
  // In flight: the first goes to gpu1, the next to gpu2.
  auto first = select();
  EXPECT_EQ(first.instance, "gpu1");
  m_monitor.begin_request(key(first.instance));
  auto second = select();
  EXPECT_EQ(second.instance, "gpu2");
  EXPECT_NE(second.selection_reason.find("least loaded of 2 equally fast"), std::string::npos);
  m_monitor.end_request(key(first.instance));
  // Across processes: nothing in flight, so the one with fewer recorded requests.
  measured("gpu1", 200, 1);
  EXPECT_EQ(select().instance, "gpu2");
  measured("gpu2", 220, 2);
  EXPECT_EQ(select().instance, "gpu1");
}

TEST_F(SelectorTest, AMuchFasterInstanceIsNotBalancedAway) {
  make({server("gpu1"), server("gpu2")});
  up("gpu1");
  up("gpu2");
  measured("gpu1", 100, 50);
  measured("gpu2", 400, 1);
  m_monitor.begin_request(key("gpu1"));
  EXPECT_EQ(select().instance, "gpu1");
}

TEST_F(SelectorTest, RulesAreAlwaysLastAndAnswerWhenNothingElseCan) {
  make({server("rules", BackendType::rules, ""), server("gpu1")});
  down("gpu1");
  const auto result = select();
  EXPECT_EQ(result.instance, "rules");
  EXPECT_TRUE(result.fallback_chain.empty());
  EXPECT_NE(result.selection_reason.find("using the offline rules"), std::string::npos);
  up("gpu1");
  EXPECT_EQ(select().fallback_chain.back(), "rules");
}

TEST_F(SelectorTest, HealthyBeforeUncheckedAndMeasuredBeforeUnmeasured) {
  make({server("unchecked"), server("checked", BackendType::ollama), server("measured", BackendType::openai)});
  up("checked");
  up("measured");
  measured("measured", 5000);
  const auto result = select();
  EXPECT_EQ(result.instance, "measured");
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"checked", "unchecked", "rules"}));
}

TEST_F(SelectorTest, TypeNamePicksAmongItsInstances) {
  make({server("gpu1"), server("gpu2"), server("home", BackendType::ollama)});
  for (const char* name : {"gpu1", "gpu2", "home"}) up(name);
  measured("home", 10);
  measured("gpu1", 500);
  measured("gpu2", 300);
  SelectionCriteria criteria;
  criteria.preferred = "vllm";
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "gpu2");
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"gpu1", "home", "rules"}));
}

TEST_F(SelectorTest, NoFallbackKeepsTheChainEmptyAndThePreferenceEvenWhenDown) {
  make({server("gpu1"), server("home", BackendType::ollama)});
  down("gpu1");
  up("home");
  SelectionCriteria criteria;
  criteria.preferred = "gpu1";
  criteria.fallback = FallbackPolicy::disallowed;
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "gpu1");
  EXPECT_TRUE(result.fallback_chain.empty());
  EXPECT_NE(result.selection_reason.find("fallback is off"), std::string::npos);
}

TEST_F(SelectorTest, UnknownPreferenceIsAnErrorWithSuggestion) {
  make({server("gpu1")});
  SelectionCriteria criteria;
  criteria.preferred = "gpu";
  auto result = BackendSelector(*m_registry, m_monitor).select(criteria, m_env.now());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::not_found);
  EXPECT_NE(result.error().hint.find("did you mean 'gpu1'?"), std::string::npos);
}

TEST_F(SelectorTest, TheFallbackChainOrdersPositionsBeforeSpeed) {
  make({server("fast", BackendType::vllm), server("home", BackendType::ollama),
        server("local", BackendType::llama, "")});
  for (const char* name : {"fast", "home", "local"}) up(name);
  measured("fast", 50);
  measured("home", 100);
  measured("local", 900);
  SelectionCriteria criteria;
  criteria.chain_order = {"llama", "ollama", "rules"};
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "local");
  EXPECT_EQ(result.selection_reason,
            "performance: local is the fastest healthy instance of fallback chain position 1 (llama) "
            "(avg 900 ms, p95 900 ms, 100% success)");
  // vllm is not in the chain: after every entry, before rules.
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"home", "fast", "rules"}));
}

TEST_F(SelectorTest, ALaterChainPositionAnswersWhenEarlierOnesAreDownAndTheReasonSaysSo) {
  make({server("local", BackendType::llama, ""), server("home", BackendType::ollama), server("fast")});
  down("local");
  up("home");
  up("fast");
  measured("home", 300);
  measured("fast", 10);
  SelectionCriteria criteria;
  criteria.chain_order = {"llama", "ollama", "rules"};
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "home");
  EXPECT_TRUE(result.selection_reason.starts_with(
      "fallback: chain entry llama has nothing healthy and fitting; performance: home is the fastest healthy "
      "instance of fallback chain position 2 (ollama)"))
      << result.selection_reason;
  EXPECT_NE(result.selection_reason.find("local is down"), std::string::npos) << result.selection_reason;
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"fast", "rules"}));
}

TEST_F(SelectorTest, WithinAChainPositionTheFastestHealthyInstanceLeads) {
  make({server("gpu1"), server("gpu2"), server("home", BackendType::ollama), server("spare", BackendType::openai)});
  for (const char* name : {"gpu1", "gpu2", "home", "spare"}) up(name);
  measured("gpu1", 900);
  measured("gpu2", 300);
  measured("home", 10);
  measured("spare", 5);
  SelectionCriteria criteria;
  criteria.chain_order = {"vllm", "home"};
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "gpu2");
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"gpu1", "home", "spare", "rules"}));
}

TEST_F(SelectorTest, ChainEntriesMayNameInstancesAndTheFirstMatchingEntryCounts) {
  make({server("gpu1"), server("gpu2"), server("home", BackendType::ollama)});
  for (const char* name : {"gpu1", "gpu2", "home"}) up(name);
  measured("gpu1", 100);
  measured("gpu2", 800);
  measured("home", 50);
  SelectionCriteria criteria;
  criteria.chain_order = {"gpu2", "ollama", "vllm"};
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "gpu2");
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"home", "gpu1", "rules"}));
}

TEST_F(SelectorTest, RulesStayLastWhereverTheChainNamesThem) {
  make({server("home", BackendType::ollama)});
  up("home");
  SelectionCriteria criteria;
  criteria.chain_order = {"rules", "ollama"};
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "home");
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"rules"}));
}

TEST_F(SelectorTest, APreferenceComesBeforeTheChainAndTheChainOrdersTheRest) {
  make({server("gpu1"), server("home", BackendType::ollama), server("local", BackendType::llama, "")});
  for (const char* name : {"gpu1", "home", "local"}) up(name);
  SelectionCriteria criteria;
  criteria.preferred = "gpu1";
  criteria.chain_order = {"ollama", "llama"};
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "gpu1");
  EXPECT_TRUE(result.selection_reason.starts_with("preference: gpu1 was requested")) << result.selection_reason;
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"home", "local", "rules"}));
}

TEST_F(SelectorTest, AReportedContextLengthOverridesTheDeclaredOne) {
  auto declared = server("declared");
  declared.context_length = 8192;
  make({declared, server("other", BackendType::ollama)});
  up("other");
  HealthRecord checked{true, "ok", Micros{500}, m_env.now(), ReportedModel{512, {"completion"}, "", "/props"}};
  m_monitor.record_health(key("declared"), checked);
  // A later request outcome carries no report: the reported values stay.
  m_monitor.record_health(key("declared"), {true, "answered a request", Micros{500}, m_env.now()});
  measured("declared", 10);
  measured("other", 500);
  SelectionCriteria criteria;
  criteria.min_context_length = 4096;
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "other");
  EXPECT_NE(result.selection_reason.find("declared (context 512 < 4096 tokens, reported by /props)"), std::string::npos)
      << result.selection_reason;
  const auto offered = offered_model(declared, m_monitor.stats(key("declared")));
  EXPECT_EQ(offered.context_length, 512);
  EXPECT_EQ(offered.capabilities, (std::vector<std::string>{"completion"}));
}

TEST_F(SelectorTest, ReportedCapabilitiesAddToTheDeclaredOnes) {
  auto tools = server("tools");
  tools.capabilities = {"json_schema"};
  make({tools});
  m_monitor.record_health(key("tools"),
                          {true, "ok", Micros{500}, m_env.now(), ReportedModel{0, {"tools"}, "qwen2", "/api/show"}});
  SelectionCriteria criteria;
  criteria.capabilities = {"json_schema", "tools"};
  criteria.model_family = "qwen2";
  EXPECT_EQ(select(criteria).instance, "tools");
  criteria.capabilities = {"vision"};
  const auto skipped = select(criteria);
  EXPECT_EQ(skipped.instance, "rules");
  EXPECT_NE(skipped.selection_reason.find("tools (no vision capability (has json_schema, tools))"), std::string::npos)
      << skipped.selection_reason;
}

TEST_F(SelectorTest, AnUncheckedInstanceKeepsItsChainPositionAheadOfAHealthyLaterOne) {
  make({server("home", BackendType::ollama), server("fast")});
  up("fast");
  measured("fast", 10);
  SelectionCriteria criteria;
  criteria.chain_order = {"ollama"};
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "home");
  EXPECT_EQ(result.selection_reason,
            "performance: home is the first not yet checked instance of fallback chain position 1 (ollama) "
            "(not measured yet)");
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"fast", "rules"}));
}

TEST_F(SelectorTest, APreferenceSpelledOutIsTriedWhateverItsCachedHealthSays) {
  make({server("given"), server("other", BackendType::ollama)});
  down("given");
  up("other");
  SelectionCriteria criteria;
  criteria.preferred = "given";
  EXPECT_EQ(select(criteria).instance, "other") << "a cached 'down' passes over a preference by default";
  criteria.preferred_health = PreferredHealth::ignore_cache;
  const auto result = select(criteria);
  EXPECT_EQ(result.instance, "given");
  EXPECT_NE(result.selection_reason.find("tried as given although given is down (connection refused"),
            std::string::npos)
      << result.selection_reason;
  EXPECT_EQ(result.fallback_chain, (std::vector<std::string>{"other", "rules"}));
}

TEST_F(SelectorTest, InstancesThatDifferOnlyInNameShareTheirFigures) {
  auto old_name = server("old-name", BackendType::ollama, "http://127.0.0.1:11434/");
  auto new_name = server("new-name", BackendType::ollama, "http://127.0.0.1:11434");
  old_name.model = new_name.model = "qwen2.5-coder";
  make({old_name, server("other")});
  down("old-name");
  up("other");
  make({new_name, server("other")});
  EXPECT_EQ(metrics_key(old_name), metrics_key(new_name)) << "a trailing '/' is the same server";
  const auto result = select();
  EXPECT_EQ(result.instance, "other") << "the server is down whatever it is called";
  EXPECT_NE(result.selection_reason.find("new-name is down"), std::string::npos) << result.selection_reason;
}

TEST_F(SelectorTest, ACorrectedEndpointOrModelStartsWithoutAVerdict) {
  auto wrong = server("work", BackendType::openai, "http://127.0.0.1:9/v1");
  make({wrong});
  down("work");
  auto corrected = wrong;
  corrected.endpoint = "http://127.0.0.1:8080/v1";
  make({corrected});
  EXPECT_EQ(select().instance, "work") << "unchecked, so it is tried";
  auto other_model = wrong;
  other_model.model = "another";
  make({other_model});
  EXPECT_EQ(select().instance, "work");
}

TEST_F(SelectorTest, TheSelectionNamesTheModelAndWhyItWasPicked) {
  auto picked = server("ollama", BackendType::ollama);
  picked.model = "qwen2.5-coder:1.5b";
  picked.model_reason = "a code model, of 2 listed";
  make({picked});
  const auto result = select();
  EXPECT_EQ(result.model, "qwen2.5-coder:1.5b");
  EXPECT_EQ(result.model_reason, "a code model, of 2 listed");
}

}  // namespace
}  // namespace cmdai::routing
