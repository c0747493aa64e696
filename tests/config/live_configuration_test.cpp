// Change notifications: {field_name, old_value, new_value} per changed key.

#include "config/live_configuration.h"

#include <gtest/gtest.h>

#include <fstream>

#include "config/key_table.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::config {
namespace {

TEST(LiveConfiguration, SubscribersReceiveEachChangedKeyOnce) {
  LiveConfiguration live{ConfigurationState{}};
  std::vector<ConfigChange> seen;
  auto subscription = live.subscribe([&](const ConfigChange& change) { seen.push_back(change); });
  ConfigurationState next = live.snapshot();
  next.safety_level = SafetyLevel::strict;
  next.retention_policy.max_age_days = 30;
  set_value(next, *resolve_key("backend.instances.work.endpoint"), ConfigValue{std::string("http://w:1")});
  const auto changes = live.update(next);
  EXPECT_EQ(changes, seen);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (ConfigChange{"history.max_age_days", "", "30"}));
  EXPECT_EQ(seen[1], (ConfigChange{"safety.level", "moderate", "strict"}));
  EXPECT_EQ(seen[2], (ConfigChange{"backend.instances.work.endpoint", "", "http://w:1"}));
  EXPECT_EQ(live.snapshot(), next);
  EXPECT_TRUE(live.update(next).empty());
}

TEST(LiveConfiguration, UnsubscribesWhenTheSubscriptionDies) {
  LiveConfiguration live{ConfigurationState{}};
  int calls = 0;
  {
    auto subscription = live.subscribe([&](const ConfigChange&) { ++calls; });
    ConfigurationState next;
    next.color_output = false;
    live.update(next);
  }
  live.update(ConfigurationState{});
  EXPECT_EQ(calls, 1);
}

TEST(LiveConfiguration, CallbackMayReadTheNewState) {
  LiveConfiguration live{ConfigurationState{}};
  SafetyLevel observed = SafetyLevel::moderate;
  auto subscription = live.subscribe([&](const ConfigChange&) { observed = live.snapshot().safety_level; });
  ConfigurationState next;
  next.safety_level = SafetyLevel::permissive;
  live.update(next);
  EXPECT_EQ(observed, SafetyLevel::permissive);
}

TEST(LiveConfiguration, ReloadPublishesAnEditedFile) {
  testing::TempDir dir;
  testing::FakeEnv env;
  const auto path = dir / "config.toml";
  LiveConfiguration live(load_configuration(env, path).state);
  std::vector<ConfigChange> seen;
  auto subscription = live.subscribe([&](const ConfigChange& change) { seen.push_back(change); });
  std::ofstream(path) << "[ui]\nverbosity = \"debug\"\n";
  auto loaded = reload(live, env, path);
  EXPECT_TRUE(loaded.warnings.empty());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (ConfigChange{"ui.verbosity", "normal", "debug"}));
  EXPECT_EQ(live.snapshot().verbosity_level, VerbosityLevel::debug);
}

}  // namespace
}  // namespace cmdai::config
