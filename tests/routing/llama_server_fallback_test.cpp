// Integration: two real llama-server processes on loopback plus one dead
// port, all as OpenAI-compatible instances. One server is killed mid-run;
// requests keep succeeding through the other and the metrics show the
// failure.
//
// Needs the llama-server binary (CMDAI_LLAMA_SERVER), a tiny chat model
// (CMDAI_TEST_CHAT_MODEL, or tests/tiny-models/chat.gguf in the build tree)
// and a working openai backend; skipped with the reason when one is missing.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "routing/dispatcher.h"
#include "routing/health_checker.h"
#include "routing/selector.h"
#include "support/fake_env.h"
#include "tools/llama_server.h"

namespace cmdai::routing {
namespace {

std::filesystem::path chat_model() {
  if (const char* env = std::getenv("CMDAI_TEST_CHAT_MODEL")) return env;
  return std::filesystem::path(CMDAI_BINARY).parent_path() / "tests" / "tiny-models" / "chat.gguf";
}

BackendInstance openai(const std::string& name, const std::string& endpoint) {
  BackendInstance instance;
  instance.name = name;
  instance.type = BackendType::openai;
  instance.endpoint = endpoint;
  instance.model = "chat";
  instance.timeout = std::chrono::milliseconds(20'000);
  instance.retries = 0;
  return instance;
}

TEST(LlamaServerFallback, KillingOneServerMidRunKeepsRequestsSucceedingAndShowsInMetrics) {
  const auto model = chat_model();
  if (!std::filesystem::exists(CMDAI_LLAMA_SERVER)) GTEST_SKIP() << "no llama-server at " << CMDAI_LLAMA_SERVER;
  if (!std::filesystem::exists(model))
    GTEST_SKIP() << "no tiny chat model at " << model << " (set CMDAI_TEST_CHAT_MODEL)";
  // -c 512: the context the servers report, which the requirement checks below rely on.
  testing::LlamaServer a({CMDAI_LLAMA_SERVER, model, {}, 512});
  testing::LlamaServer b({CMDAI_LLAMA_SERVER, model, {}, 512});
  ASSERT_TRUE(a.ready()) << "llama-server a did not become ready";
  ASSERT_TRUE(b.ready()) << "llama-server b did not become ready";
  const std::string dead = "http://127.0.0.1:" + std::to_string(testing::free_loopback_port());
  if (auto probe = default_backend_factory()(openai("probe", a.url())); !probe) {
    GTEST_SKIP() << "the openai backend cannot be created here: " << probe.error().describe();
  }

  testing::FakeEnv env;
  auto registry = Registry::create({openai("a", a.url()), openai("b", b.url()), openai("dead", dead)});
  ASSERT_TRUE(registry);
  PerformanceMonitor monitor;
  const ClockFn clock = [&] { return env.now(); };
  std::vector<const BackendInstance*> all;
  for (const auto& i : registry->instances()) all.push_back(&i);
  const auto health =
      HealthChecker(default_backend_factory(), clock, k_health_timeout, http_model_info_probe()).check_all(all, {});
  for (std::size_t i = 0; i < all.size(); ++i) monitor.record_health(metrics_key(*all[i]), health[i]);
  ASSERT_TRUE(monitor.stats(metrics_key(*registry->find("a"))).health->healthy)
      << monitor.stats(metrics_key(*registry->find("a"))).health->detail;
  ASSERT_TRUE(monitor.stats(metrics_key(*registry->find("b"))).health->healthy)
      << monitor.stats(metrics_key(*registry->find("b"))).health->detail;
  ASSERT_FALSE(monitor.stats(metrics_key(*registry->find("dead"))).health->healthy);
  // The servers run with -c 512: their /props says so, and a request needing
  // more context skips both with that reason.
  ASSERT_TRUE(monitor.stats(metrics_key(*registry->find("a"))).reported_model);
  EXPECT_EQ(monitor.stats(metrics_key(*registry->find("a"))).reported_model->context_length, 512);
  EXPECT_EQ(monitor.stats(metrics_key(*registry->find("a"))).reported_model->source, "/props");
  SelectionCriteria needs_more;
  needs_more.min_context_length = 1024;
  auto skipped = BackendSelector(*registry, monitor).select(needs_more, env.now());
  ASSERT_TRUE(skipped);
  EXPECT_EQ(skipped->instance, "rules");
  EXPECT_NE(skipped->selection_reason.find("a (context 512 < 1024 tokens, reported by /props)"), std::string::npos)
      << skipped->selection_reason;

  Dispatcher dispatcher(*registry, monitor, default_backend_factory(), clock);
  const Attempt attempt = [](llm::Backend& backend) -> Result<void> {
    llm::CompletionRequest request;
    request.messages = {{"user", "list files"}};
    request.max_tokens = 4;
    auto completion = backend.complete(request, [](std::string_view) {}, {});
    if (!completion) return fail(completion.error());
    return {};
  };
  std::vector<std::string> answered_by;
  for (int i = 0; i < 6; ++i) {
    if (i == 2) a.kill();
    SelectionCriteria criteria;
    if (i == 2) criteria.preferred = "a";  // still cached as healthy: the request finds out
    auto selection = BackendSelector(*registry, monitor).select(criteria, env.now());
    ASSERT_TRUE(selection) << selection.error().describe();
    EXPECT_NE(selection->instance, "dead");
    auto result = dispatcher.run(*selection, attempt, {});
    ASSERT_TRUE(result) << "request " << i << ": " << result.error().describe();
    answered_by.push_back(result->backend_used);
    if (i == 2) {
      EXPECT_EQ(result->backend_used, "b");
      ASSERT_EQ(result->notices.size(), 1u);
      EXPECT_NE(result->notices[0].find("answered by b instead"), std::string::npos) << result->notices[0];
    }
    if (i > 2) {
      EXPECT_EQ(result->backend_used, "b");
    }
    env.advance(std::chrono::seconds(1));
  }
  const auto killed = monitor.stats(metrics_key(*registry->find("a")));
  EXPECT_GE(killed.failed_requests, 1u);
  EXPECT_FALSE(killed.health->healthy);
  EXPECT_LT(killed.availability, 1.0);
  EXPECT_EQ(monitor.stats(metrics_key(*registry->find("b"))).failed_requests, 0u);
  EXPECT_GE(monitor.stats(metrics_key(*registry->find("b"))).successful_requests, 4u);
}

}  // namespace
}  // namespace cmdai::routing
