// Change notifications reach the running pipeline and its backend selection:
// another process (`cmdai config set`, the built binary) or a text editor
// changes config.toml between two requests of one CommandPipeline, and the
// second request runs with the new settings - no restart.

#include <gtest/gtest.h>

#include <fstream>

#include "config/config_watcher.h"
#include "pipeline/command_pipeline.h"
#include "routing/fake_backend.h"
#include "support/fake_env.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class LiveSubscribers : public ::testing::Test {
 protected:
  LiveSubscribers() {
    m_paths = Paths{m_home / "config.toml", m_home / "history.db", m_home / "models", m_home / "cmdai.log"};
    m_fleet.script("rules")->answer = R"({"command": "rm -rf build", "explanation": "Removes build."})";
  }
  // `cmdai config set KEY VALUE` in a process of its own.
  void config_set(const std::string& key, const std::string& value) {
    auto r = testing::run_process({CMDAI_BINARY, "config", "set", key, value},
                                  {{"CMDAI_HOME", m_home.path().string()}, {"NO_COLOR", "1"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void write_file(const std::string& text) { std::ofstream(m_paths.config_file) << text; }
  Result<pipeline::PipelineResult> request(pipeline::CommandPipeline& pipeline) {
    pipeline::PipelineOptions options;
    options.working_directory = m_home.path().string();
    options.refresh_stale_health = false;
    return pipeline.run("remove the build directory", options, [](const generation::StreamEvent&) {}, {});
  }

  testing::TempDir m_home;
  testing::FakeEnv m_env;
  testing::FakeFleet m_fleet;
  Paths m_paths;
};

bool has_change(const std::vector<config::ConfigChange>& changes, const config::ConfigChange& wanted) {
  return std::find(changes.begin(), changes.end(), wanted) != changes.end();
}

TEST_F(LiveSubscribers, SafetyPrivacyAndHistorySettingsApplyFromTheNextRequest) {
  config::ConfigWatcher watcher(m_env, m_paths.config_file);
  pipeline::CommandPipeline pipeline(m_env, m_paths, watcher, m_fleet.factory());
  auto first = request(pipeline);
  ASSERT_TRUE(first) << first.error().describe();
  const RiskLevel risk = first->validation.risk_level;
  EXPECT_EQ(first->validation.action, safety::action_for(safety::SafetyLevel::moderate, risk));
  EXPECT_TRUE(first->history_id);
  EXPECT_TRUE(first->config_changes.empty());

  config_set("safety.level", "strict");
  config_set("safety.custom_patterns", "critical:^rm ");
  config_set("history.enabled", "false");
  auto second = request(pipeline);
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->validation.risk_level, RiskLevel::critical) << "the new custom pattern rated it";
  EXPECT_NE(
      std::find(second->validation.patterns_matched.begin(), second->validation.patterns_matched.end(), "custom.1"),
      second->validation.patterns_matched.end());
  EXPECT_EQ(second->validation.action, safety::Action::block) << "strict blocks critical";
  EXPECT_FALSE(second->history_id) << "history.enabled = false: nothing recorded";
  EXPECT_TRUE(has_change(second->config_changes, {"safety.level", "moderate", "strict"}));
  EXPECT_TRUE(has_change(second->config_changes, {"history.enabled", "true", "false"}));

  // Nothing changed since: the next request reports no changes.
  auto third = request(pipeline);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->config_changes.empty());
  EXPECT_EQ(third->validation.risk_level, RiskLevel::critical);
}

TEST_F(LiveSubscribers, StreamingAndConfirmationsAreReadFromTheFollowedConfiguration) {
  config::ConfigWatcher watcher(m_env, m_paths.config_file);
  pipeline::CommandPipeline pipeline(m_env, m_paths, watcher, m_fleet.factory());
  EXPECT_TRUE(pipeline.refresh().streaming_enabled);
  config_set("ui.streaming", "false");
  config_set("safety.confirmation_required", R"(["safe", "moderate", "high", "critical"])");
  const auto& now = pipeline.refresh();
  EXPECT_FALSE(now.streaming_enabled);
  EXPECT_EQ(now.confirmation_required.size(), 4u);
  EXPECT_EQ(now.confirmation_required.front(), RiskLevel::safe);
}

TEST_F(LiveSubscribers, PrivacyModeChangeIsUsedForTheNextRecord) {
  m_fleet.script("rules")->answer =
      R"({"command": "curl -H 'Authorization: Bearer sk-abcdefghijklmnopqrstuvwx' https://x", "explanation": "x"})";
  config::ConfigWatcher watcher(m_env, m_paths.config_file);
  pipeline::CommandPipeline pipeline(m_env, m_paths, watcher, m_fleet.factory());
  auto first = request(pipeline);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->history_id) << "redact (the default) stores the command with the secret masked";
  config_set("history.privacy_mode", "skip");
  auto second = request(pipeline);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->history_id) << "skip: a command holding a secret is not stored";
  EXPECT_TRUE(has_change(second->config_changes, {"history.privacy_mode", "redact", "skip"}));
}

TEST_F(LiveSubscribers, SelectionFollowsPreferredInstancesAndFallbackChain) {
  // Each instance names its model: a server without one is first asked for its
  // list, and nothing listens on these ports.
  write_file(
      "[backend.instances.a]\ntype = 'openai'\nendpoint = 'http://127.0.0.1:1/v1'\nmodel = 'm'\n"
      "[backend.instances.b]\ntype = 'ollama'\nendpoint = 'http://127.0.0.1:2'\nmodel = 'm'\n"
      "[backend.instances.c]\ntype = 'vllm'\nendpoint = 'http://127.0.0.1:3/v1'\nmodel = 'm'\n"
      "[backend]\npreferred = 'a'\nfallback_chain = ['c', 'b', 'rules']\n");
  for (const char* name : {"a", "b", "c", "d"}) m_fleet.script(name);
  config::ConfigWatcher watcher(m_env, m_paths.config_file);
  ASSERT_TRUE(watcher.warnings().empty()) << watcher.warnings()[0];
  pipeline::CommandPipeline pipeline(m_env, m_paths, watcher, m_fleet.factory());
  auto first = request(pipeline);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->selection.instance, "a");
  EXPECT_EQ(first->selection.fallback_chain, (std::vector<std::string>{"c", "b", "rules"}));

  config_set("backend.fallback_chain", "['b', 'c', 'rules']");
  config_set("backend.preferred", "c");
  auto second = request(pipeline);
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->selection.instance, "c");
  EXPECT_EQ(second->backend_used, "c");
  EXPECT_EQ(second->selection.fallback_chain, (std::vector<std::string>{"b", "a", "rules"}));

  // A new instance, named in another process, answers the next request.
  config_set("backend.instances.d.type", "ollama");
  config_set("backend.instances.d.endpoint", "http://127.0.0.1:4");
  config_set("backend.instances.d.model", "m");
  config_set("backend.preferred", "d");
  auto third = request(pipeline);
  ASSERT_TRUE(third) << third.error().describe();
  EXPECT_EQ(third->backend_used, "d") << third->selection.instance << " " << third->selection.selection_reason
                                      << (third->notices.empty() ? "" : third->notices[0]);
  EXPECT_TRUE(has_change(third->config_changes, {"backend.instances.d.endpoint", "", "http://127.0.0.1:4"}));
}

TEST_F(LiveSubscribers, AnEditorSavingInPlaceAndABrokenFileAreHandled) {
  write_file("[safety]\nlevel = 'permissive'\n");
  config::ConfigWatcher watcher(m_env, m_paths.config_file);
  pipeline::CommandPipeline pipeline(m_env, m_paths, watcher, m_fleet.factory());
  EXPECT_EQ(pipeline.refresh().safety_level, config::SafetyLevel::permissive);
  // Same size, same second: only the bytes differ.
  write_file("[safety]\nlevel = 'moderate__'\n");
  std::vector<std::string> warnings;
  EXPECT_EQ(watcher.poll(&warnings), (std::vector<config::ConfigChange>{{"safety.level", "permissive", "moderate"}}))
      << "an invalid value keeps the layer below: the default";
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("config.toml:2:"), std::string::npos) << warnings[0];
  write_file("[safety]\nlevel = 'strict'\n");
  EXPECT_EQ(pipeline.refresh().safety_level, config::SafetyLevel::strict);
  std::filesystem::remove(m_paths.config_file);
  EXPECT_EQ(pipeline.refresh().safety_level, config::SafetyLevel::moderate) << "no file: defaults";
}

}  // namespace
}  // namespace cmdai
