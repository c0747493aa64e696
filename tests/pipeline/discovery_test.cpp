// A request with nothing configured finds the user's server: Ollama at
// OLLAMA_HOST (the wire-faithful loopback server), the default ports moved
// to free ones; the model chosen from its list; the first-use notice said
// once; the health cache making the next request probe nothing; half-written
// instances skipped with a warning; a preferred type with no instance; an
// explicit endpoint tried whatever the cache says; a corrected endpoint
// starting without the old verdict. Real backends over real sockets; fake
// ones (by instance name) where only routing is under test.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pipeline/backend_instances.h"
#include "pipeline/command_pipeline.h"
#include "pipeline/embedding_servers.h"
#include "routing/fake_backend.h"
#include "routing/metrics_store.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"
#include "tools/llama_server.h"
#include "tools/ollama_wire.h"

namespace cmdai::pipeline {
namespace {

namespace wire = testing::ollama_wire;

// Ollama as its API documents it: tags, show, chat, embed.
testing::ScriptedResponse ollama_reply(const testing::RecordedRequest& r, const std::vector<std::string>& tags) {
  if (r.path == "/api/tags") return wire::json_body(200, wire::tags_body_of(tags));
  if (r.path == "/api/show") return wire::json_body(200, wire::show_body());
  if (r.path == "/api/chat") {
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    return wire::ndjson(wire::answer_chunks(body.value("model", "")));
  }
  if (r.path == "/api/embed") {
    std::vector<std::vector<float>> vectors;
    const auto request = nlohmann::json::parse(r.body);
    for (const auto& text : request.at("input")) vectors.push_back(wire::spelling_vector(text));
    return wire::json_body(200, wire::embed_body("nomic-embed-text", vectors));
  }
  return wire::json_body(404, R"({"error":"not found"})");
}

std::vector<std::string> usual_tags() {
  return {wire::tags_entry("nomic-embed-text:latest", "nomic-bert"), wire::tags_entry("llama3.2:3b", "llama"),
          wire::tags_entry("qwen2.5-coder:1.5b", "qwen2")};
}

int requests_to(const testing::LoopbackServer& server, const std::string& path) {
  int n = 0;
  for (const auto& r : server.requests()) n += r.path == path ? 1 : 0;
  return n;
}

class DiscoveryPipelineTest : public ::testing::Test {
 protected:
  DiscoveryPipelineTest() {
    m_paths = Paths{m_dir / "config.toml", m_dir / "history.db", m_dir / "models", m_dir / "cmdai.log"};
    // Every default port moved to one nothing listens on.
    m_env.set_var("CMDAI_DISCOVER_PORTS",
                  "ollama=" + closed() + ",llama-server=" + closed() + ",lmstudio=" + closed() + ",vllm=" + closed());
  }
  static std::string closed() { return std::to_string(testing::free_loopback_port()); }
  Result<PipelineResult> run(PipelineOptions options = {}) {
    CommandPipeline pipeline(m_env, m_paths, m_config, m_factory, {});
    options.working_directory = "/tmp";
    options.refresh_stale_health = false;
    return pipeline.run("list files", options, [](const generation::StreamEvent&) {}, {});
  }
  // What the health cache in the history database holds under key.
  routing::InstanceStats stored(const std::string& key) {
    routing::PerformanceMonitor monitor;
    auto store = routing::MetricsStore::open(m_paths.history_db);
    EXPECT_TRUE(store && store->load_into(monitor));
    return monitor.stats(key);
  }
  static bool has_notice(const PipelineResult& result, const std::string& part) {
    return std::any_of(result.notices.begin(), result.notices.end(),
                       [&](const std::string& n) { return n.find(part) != std::string::npos; });
  }

  testing::TempDir m_dir;
  testing::FakeEnv m_env;
  Paths m_paths;
  config::ConfigurationState m_config;
  routing::BackendFactory m_factory = routing::default_backend_factory();
  testing::LoopbackServer m_ollama{[](const testing::RecordedRequest& r) { return ollama_reply(r, usual_tags()); }};
};

TEST_F(DiscoveryPipelineTest, OllamaAtOllamaHostAnswersWithACodeModelAndSaysSoOnce) {
  m_env.set_var("OLLAMA_HOST", "127.0.0.1:" + std::to_string(m_ollama.port()));
  auto first = run();
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->backend_used, "ollama");
  EXPECT_EQ(first->generation.command, "ls -la");
  EXPECT_EQ(first->selection.model, "qwen2.5-coder:1.5b");
  EXPECT_EQ(first->selection.model_reason, "a code model, of 3 listed");
  ASSERT_TRUE(has_notice(*first, "answered by ollama found at " + m_ollama.url() + ", model qwen2.5-coder:1.5b"))
      << (first->notices.empty() ? "no notice" : first->notices[0]);
  EXPECT_TRUE(has_notice(*first, "cmdai backends save ollama"));
  EXPECT_TRUE(has_notice(*first, "backend.discover false"));
  const auto chat = m_ollama.requests().back();
  EXPECT_EQ(nlohmann::json::parse(chat.body)["model"], "qwen2.5-coder:1.5b");

  // The next request knows the server from the health cache: no probe, no notice.
  const int probes = requests_to(m_ollama, "/api/tags");
  auto second = run();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->backend_used, "ollama");
  EXPECT_EQ(requests_to(m_ollama, "/api/tags"), probes);
  EXPECT_FALSE(has_notice(*second, "found at")) << second->notices[0];
}

TEST_F(DiscoveryPipelineTest, TheDefaultPortMovedToAFreeOneIsFoundToo) {
  m_env.set_var("CMDAI_DISCOVER_PORTS",
                "ollama=" + std::to_string(m_ollama.port()) + ",llama-server=0,lmstudio=0,vllm=0");
  auto result = run();
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "ollama");
}

TEST_F(DiscoveryPipelineTest, NothingRunningMeansRulesAndTheSilenceIsCachedForItsTtl) {
  const int port = testing::free_loopback_port();
  m_env.set_var("CMDAI_DISCOVER_PORTS", "ollama=" + std::to_string(port) + ",llama-server=0,lmstudio=0,vllm=0");
  auto nothing = run();
  ASSERT_TRUE(nothing) << nothing.error().describe();
  EXPECT_EQ(nothing->backend_used, "rules");
  EXPECT_TRUE(nothing->notices.empty()) << nothing->notices[0];
  const auto record =
      stored(routing::metrics_key(BackendType::ollama, "http://127.0.0.1:" + std::to_string(port), "")).health;
  ASSERT_TRUE(record);
  EXPECT_EQ(record->detail, "nothing listening");
  // A server started now on that port is not looked for until the record is stale.
  testing::LoopbackServer late([](const testing::RecordedRequest& r) { return ollama_reply(r, usual_tags()); });
  m_env.set_var("CMDAI_DISCOVER_PORTS", "ollama=" + std::to_string(late.port()) + ",llama-server=0,lmstudio=0,vllm=0");
  EXPECT_EQ(run()->backend_used, "ollama") << "another port is another record, looked at once";
  m_env.set_var("CMDAI_DISCOVER_PORTS", "ollama=" + std::to_string(port) + ",llama-server=0,lmstudio=0,vllm=0");
  EXPECT_EQ(run()->backend_used, "rules") << "within the TTL the cached silence stands";
}

TEST_F(DiscoveryPipelineTest, OffMeansOff) {
  m_env.set_var("OLLAMA_HOST", m_ollama.url());
  m_config.discover_servers = false;
  auto result = run();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->backend_used, "rules");
  EXPECT_EQ(m_ollama.requests().size(), 0u);
}

TEST_F(DiscoveryPipelineTest, AConfiguredOllamaWithoutAModelTakesOneFromItsList) {
  m_config.backend_configs["home"] = config::BackendConfig{BackendType::ollama, m_ollama.url(), "", 5000, 0, "", {}};
  auto result = run();
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "home");
  EXPECT_EQ(result->selection.model, "qwen2.5-coder:1.5b");
  EXPECT_FALSE(has_notice(*result, "found at")) << "configured, not discovered";
}

TEST_F(DiscoveryPipelineTest, AnEmbeddingOnlyServerIsNoBackendButServesEmbeddings) {
  testing::LoopbackServer embedder([](const testing::RecordedRequest& r) {
    return ollama_reply(r, {wire::tags_entry("all-minilm:latest", "bert")});
  });
  m_env.set_var("OLLAMA_HOST", embedder.url());
  auto result = run();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->backend_used, "rules");
  const auto servers = embedding_servers(m_config, m_env, m_paths);
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0].endpoint, embedder.url());
  EXPECT_EQ(servers[0].model, "all-minilm:latest");
  m_config.discover_servers = false;
  EXPECT_TRUE(embedding_servers(m_config, m_env, m_paths).empty());
}

TEST_F(DiscoveryPipelineTest, AHalfWrittenInstanceIsSkippedWithOneWarningNamingTheKey) {
  m_config.backend_configs["work"] = config::BackendConfig{BackendType::openai, "", "", 5000, 0, "", {}};
  PipelineOptions rules;
  rules.backend = "rules";
  auto result = run(rules);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "rules");
  ASSERT_EQ(result->notices.size(), 1u);
  EXPECT_EQ(result->notices[0],
            "warning: backend instance 'work' has no endpoint; it is skipped until backend.instances.work.endpoint "
            "is set (set its endpoint, e.g. http://127.0.0.1:8080)");
  m_env.set_var("OLLAMA_HOST", m_ollama.url());
  auto discovered = run();
  ASSERT_TRUE(discovered) << discovered.error().describe();
  EXPECT_EQ(discovered->backend_used, "ollama") << "discovery still answers";
  m_config.preferred_instance = "work";
  auto preferred = run();
  ASSERT_TRUE(preferred) << preferred.error().describe();
  EXPECT_TRUE(has_notice(*preferred, "backend 'work' is skipped (see the warning); choosing automatically"));
}

TEST_F(DiscoveryPipelineTest, APreferredTypeWithNoInstanceIsLookedForThenTheChainAnswers) {
  PipelineOptions vllm;
  vllm.backend = "vllm";
  auto result = run(vllm);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "rules");
  ASSERT_TRUE(has_notice(*result, "no vllm backend is configured or answering (looked at http://127.0.0.1:"));
  EXPECT_TRUE(has_notice(*result, "nothing listening)); choosing automatically"));
  vllm.fallback = routing::FallbackPolicy::disallowed;
  auto strict = run(vllm);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code, ErrorCode::unavailable);
  // An Ollama elsewhere on this machine answers a preference for ollama.
  m_env.set_var("OLLAMA_HOST", m_ollama.url());
  m_config.discover_servers = false;  // looked for because it was asked for, not by discovery
  PipelineOptions ollama;
  ollama.backend = "ollama";
  ollama.model = "llama3.2:3b";
  auto asked = run(ollama);
  ASSERT_TRUE(asked) << asked.error().describe();
  EXPECT_EQ(asked->backend_used, "ollama");
  EXPECT_EQ(asked->selection.model, "llama3.2:3b") << "--model picks the model there";
  EXPECT_TRUE(asked->selection.model_reason.empty());
}

class FakeRoutingTest : public DiscoveryPipelineTest {
 protected:
  FakeRoutingTest() {
    m_fleet.script("rules");
    m_factory = m_fleet.factory();
    m_env.set_var("CMDAI_DISCOVER_PORTS", "ollama=0,llama-server=0,lmstudio=0,vllm=0");
  }
  testing::FakeFleet m_fleet;
};

TEST_F(FakeRoutingTest, AnEndpointGivenOnTheCommandLineIsTriedWhateverTheCacheSays) {
  m_fleet.script("openai")->fail_before_token = Error{ErrorCode::unavailable, "connection refused", {}};
  PipelineOptions given;
  given.backend = "openai";
  given.endpoint = "http://127.0.0.1:9/v1";
  given.model = "m";
  ASSERT_EQ(run(given)->backend_used, "rules");
  ASSERT_FALSE(stored(routing::metrics_key(BackendType::openai, *given.endpoint, "m")).health->healthy);
  m_fleet.script("openai")->fail_before_token.reset();  // the server is back
  auto again = run(given);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->backend_used, "openai");
  EXPECT_NE(again->selection.selection_reason.find("tried as given although"), std::string::npos)
      << again->selection.selection_reason;
}

TEST_F(FakeRoutingTest, ACorrectedEndpointDoesNotInheritTheOldVerdictAndARenameKeepsItsFigures) {
  m_config.backend_configs["work"] =
      config::BackendConfig{BackendType::openai, "http://127.0.0.1:9/wrong", "m", 5000, 0, "", {}};
  m_fleet.script("work")->fail_before_token = Error{ErrorCode::unavailable, "connection refused", {}};
  ASSERT_EQ(run()->backend_used, "rules");
  m_fleet.script("work")->fail_before_token.reset();
  auto stale = run();
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->backend_used, "rules") << "the cached verdict on that endpoint stands";
  m_config.backend_configs["work"].endpoint = "http://127.0.0.1:9/right";
  auto corrected = run();
  ASSERT_TRUE(corrected);
  EXPECT_EQ(corrected->backend_used, "work") << corrected->selection.selection_reason;

  m_config.backend_configs["renamed"] = m_config.backend_configs["work"];
  m_config.backend_configs.erase("work");
  m_fleet.script("renamed");
  auto renamed = run();
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->backend_used, "renamed");
  const auto stats = stored(routing::metrics_key(BackendType::openai, "http://127.0.0.1:9/right", "m"));
  EXPECT_EQ(stats.successful_requests, 2u) << "one server, whatever it is called";
}

}  // namespace
}  // namespace cmdai::pipeline
