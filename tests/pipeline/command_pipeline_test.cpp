// CommandPipeline with fake backends: config -> instances, fallback notices,
// --no-fallback, --backend TYPE --endpoint URL without a config file, and
// metrics surviving into the next pipeline through backend_metrics.

#include "pipeline/command_pipeline.h"

#include <gtest/gtest.h>

#include "pipeline/backend_instances.h"
#include "routing/fake_backend.h"
#include "routing/metrics_store.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::pipeline {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() {
    m_paths = Paths{m_dir / "config.toml", m_dir / "history.db", m_dir / "models", m_dir / "cmdai.log"};
    m_fleet.script("rules");
    // Nothing on this machine's default ports takes part (discovery tests set their own).
    m_env.set_var("CMDAI_DISCOVER_PORTS", "ollama=0,llama-server=0,lmstudio=0,vllm=0");
  }
  // Where a configured instance's figures live (metrics_key).
  std::string key(const std::string& name) {
    std::vector<std::string> warnings;
    for (const auto& instance : backend_instances(m_config, {}, m_paths.models_dir, warnings)) {
      if (instance.name == name) return routing::metrics_key(instance);
    }
    return name;
  }

  Result<PipelineResult> run(PipelineOptions options = {}) {
    CommandPipeline pipeline(m_env, m_paths, m_config, m_fleet.factory(), m_probe);
    options.working_directory = "/tmp";
    options.refresh_stale_health = m_refresh;
    return pipeline.run("list files", options, [](const generation::StreamEvent&) {}, {});
  }
  void configure(const std::string& name, const std::string& endpoint) {
    m_config.backend_configs[name] = config::BackendConfig{{}, endpoint, "model", 5000, 0, "", {}};
    m_fleet.script(name);
  }

  testing::TempDir m_dir;
  testing::FakeEnv m_env;
  testing::FakeFleet m_fleet;
  Paths m_paths;
  config::ConfigurationState m_config;
  bool m_refresh = false;
  routing::ModelInfoProbe m_probe;
};

TEST_F(PipelineTest, ConfiguredInstancesGetTypesFromNamesAndLocalityFromEndpoints) {
  configure("vllm-gpu1", "http://127.0.0.1:8001");
  configure("ollama", "");
  configure("openai_cloud", "https://api.example.com/v1");
  m_config.backend_configs["mystery"] = config::BackendConfig{{}, "http://x", "", 1000, 0, "", {}};
  std::vector<std::string> warnings;
  const auto instances = backend_instances(m_config, {}, m_paths.models_dir, warnings);
  ASSERT_EQ(instances.size(), 3u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("mystery"), std::string::npos);
  for (const auto& i : instances) {
    if (i.name == "vllm-gpu1") {
      EXPECT_EQ(i.type, BackendType::vllm);
      EXPECT_EQ(i.timeout, std::chrono::milliseconds(5000));
    }
    if (i.name == "ollama") {
      EXPECT_EQ(i.endpoint, "http://127.0.0.1:11434");
    }
    if (i.name == "openai_cloud") {
      EXPECT_FALSE(i.local);
    }
  }
}

TEST_F(PipelineTest, BackendTypeEndpointAndModelWithoutConfigMakeAnInstance) {
  m_fleet.script("openai");
  PipelineOptions options;
  options.backend = "openai";
  options.endpoint = "http://127.0.0.1:9999/v1";
  options.model = "qwen";
  auto result = run(options);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "openai");
  EXPECT_EQ(result->generation.command, "ls -la");
  EXPECT_TRUE(result->notices.empty());
  std::vector<std::string> warnings;
  const auto instances = backend_instances(m_config, options, m_paths.models_dir, warnings);
  ASSERT_FALSE(instances.empty());
  EXPECT_EQ(instances[0].endpoint, "http://127.0.0.1:9999/v1");
  EXPECT_EQ(instances[0].model, "qwen");
}

TEST_F(PipelineTest, NamedBackendFailingFallsBackWithANoticeAndBackendUsedTellsTheTruth) {
  configure("vllm-gpu1", "http://127.0.0.1:8001");
  configure("ollama", "http://127.0.0.1:11434");
  m_fleet.script("vllm-gpu1")->fail_before_token = Error{ErrorCode::unavailable, "connection refused", {}};
  PipelineOptions options;
  options.backend = "vllm-gpu1";
  auto result = run(options);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "ollama");
  ASSERT_EQ(result->notices.size(), 1u);
  EXPECT_EQ(result->notices[0], "vllm-gpu1 (connection refused) could not answer; answered by ollama instead");
  // The next pipeline knows gpu1 is down without probing and says so.
  auto next = run(options);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->backend_used, "ollama");
  EXPECT_EQ(m_fleet.script("vllm-gpu1")->completions, 1);
  ASSERT_EQ(next->notices.size(), 1u);
  EXPECT_NE(next->notices[0].find("vllm-gpu1 was not used"), std::string::npos) << next->notices[0];
  EXPECT_NE(next->notices[0].find("answered by ollama instead"), std::string::npos);
}

TEST_F(PipelineTest, NoFallbackTurnsTheFailureIntoAnError) {
  configure("vllm-gpu1", "http://127.0.0.1:8001");
  m_fleet.script("vllm-gpu1")->fail_before_token = Error{ErrorCode::unavailable, "connection refused", {}};
  PipelineOptions options;
  options.backend = "vllm-gpu1";
  options.fallback = routing::FallbackPolicy::disallowed;
  auto result = run(options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::unavailable);
  EXPECT_NE(result.error().hint.find("--no-fallback"), std::string::npos);
  EXPECT_EQ(m_fleet.script("rules")->completions, 0);
}

TEST_F(PipelineTest, UnknownBackendNameIsNotFoundWithSuggestion) {
  configure("vllm-gpu1", "http://127.0.0.1:8001");
  PipelineOptions options;
  options.backend = "vllm-gpu";
  auto result = run(options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::not_found);
  EXPECT_NE(result.error().hint.find("did you mean 'vllm-gpu1'?"), std::string::npos);
}

TEST_F(PipelineTest, LlamaWithoutAModelSaysWhereToPutOne) {
  PipelineOptions options;
  options.backend = "llama";
  auto result = run(options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::not_found);
  EXPECT_NE(result.error().hint.find(".gguf"), std::string::npos);
  options.model = (m_dir / "model.gguf").string();
  ASSERT_TRUE(m_env.write_file_atomic(*options.model, "GGUF"));
  std::vector<std::string> warnings;
  const auto instances = backend_instances(m_config, options, m_paths.models_dir, warnings);
  ASSERT_EQ(instances.size(), 1u);
  EXPECT_EQ(instances[0].type, BackendType::llama);
  EXPECT_EQ(instances[0].model, *options.model);
}

TEST_F(PipelineTest, MetricsArePersistedInBackendMetrics) {
  configure("ollama", "http://127.0.0.1:11434");
  ASSERT_TRUE(run());
  ASSERT_TRUE(run());
  routing::PerformanceMonitor monitor;
  auto store = routing::MetricsStore::open(m_paths.history_db);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->load_into(monitor));
  EXPECT_EQ(monitor.stats(key("ollama")).successful_requests, 2u);
  EXPECT_EQ(monitor.stats(key("ollama")).health->checked_at, m_env.now());
}

TEST_F(PipelineTest, StaleHealthIsRefreshedInTheBackgroundAndJoined) {
  configure("ollama", "http://127.0.0.1:11434");
  configure("vllm-gpu1", "http://127.0.0.1:8001");
  m_fleet.script("vllm-gpu1")->healthy = false;
  m_refresh = true;
  auto result = run();
  ASSERT_TRUE(result);
  EXPECT_EQ(m_fleet.script("vllm-gpu1")->health_checks, 1);
  routing::PerformanceMonitor monitor;
  auto store = routing::MetricsStore::open(m_paths.history_db);
  ASSERT_TRUE(store && store->load_into(monitor));
  EXPECT_FALSE(monitor.stats(key("vllm-gpu1")).health->healthy);
  // Fresh now: the next run probes nothing.
  ASSERT_TRUE(run());
  EXPECT_EQ(m_fleet.script("vllm-gpu1")->health_checks, 1);
  EXPECT_EQ(m_fleet.script("ollama")->health_checks, 1);
}

TEST_F(PipelineTest, TheConfiguredFallbackChainOrdersTheChoice) {
  configure("vllm-gpu1", "http://127.0.0.1:8001");
  configure("ollama", "http://127.0.0.1:11434");
  // Default chain llama, ollama, rules: ollama is named, vllm-gpu1 is not.
  auto result = run();
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "ollama");
  EXPECT_EQ(result->selection.fallback_chain, (std::vector<std::string>{"vllm-gpu1", "rules"}));
  EXPECT_NE(result->selection.selection_reason.find("fallback chain position 2 (ollama)"), std::string::npos)
      << result->selection.selection_reason;
  m_config.fallback_instances = {"vllm-gpu1", "ollama", "rules"};
  result = run();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->backend_used, "vllm-gpu1");
  EXPECT_EQ(result->selection.fallback_chain, (std::vector<std::string>{"ollama", "rules"}));
}

TEST_F(PipelineTest, ConfiguredModelRequirementsSkipAnInstanceAndSayWhy) {
  configure("ollama", "http://127.0.0.1:11434");
  m_config.instance_models["ollama"].context_length = 2048;
  m_config.model_requirements.min_context_length = 4096;
  auto result = run();
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->backend_used, "rules");
  EXPECT_NE(result->selection.selection_reason.find("ollama (context 2048 < 4096 tokens, configured)"),
            std::string::npos)
      << result->selection.selection_reason;
  ASSERT_EQ(result->notices.size(), 1u);
  EXPECT_EQ(result->notices[0],
            "no model backend meets the requirements (model requirements: skipped ollama (context 2048 < 4096 "
            "tokens, configured)); answered by rules");
  m_config.model_requirements.min_context_length = 2048;
  result = run();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->backend_used, "ollama");
  EXPECT_TRUE(result->notices.empty());
}

TEST_F(PipelineTest, AContextLengthReportedInTheBackgroundCheckDecidesTheNextProcess) {
  configure("ollama", "http://127.0.0.1:11434");
  m_config.instance_models["ollama"].context_length = 8192;  // declared, but the server knows better
  m_probe = [](const routing::BackendInstance&, std::chrono::milliseconds,
               std::stop_token) -> std::optional<routing::ReportedModel> {
    return routing::ReportedModel{1024, {"completion"}, "qwen2", "/api/show"};
  };
  m_refresh = true;
  ASSERT_TRUE(run());
  m_config.model_requirements.min_context_length = 4096;
  m_refresh = false;
  auto result = run();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->backend_used, "rules");
  EXPECT_NE(result->selection.selection_reason.find("ollama (context 1024 < 4096 tokens, reported by /api/show)"),
            std::string::npos)
      << result->selection.selection_reason;
}

}  // namespace
}  // namespace cmdai::pipeline
