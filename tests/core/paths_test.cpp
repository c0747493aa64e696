#include <gtest/gtest.h>

#include "core/paths.h"
#include "support/fake_env.h"

namespace cmdai {
namespace {

TEST(Paths, FollowXdgWithHomeFallbacks) {
  testing::FakeEnv env;
  const Paths p = resolve_paths(env);
  EXPECT_EQ(p.config_file, "/home/tester/.config/cmdai/config.toml");
  EXPECT_EQ(p.history_db, "/home/tester/.local/share/cmdai/history.db");
  EXPECT_EQ(p.models_dir, "/home/tester/.cache/cmdai/models");
  EXPECT_EQ(p.log_file, "/home/tester/.local/state/cmdai/cmdai.log");
  env.set_var("XDG_CONFIG_HOME", "/xdg/config");
  env.set_var("XDG_DATA_HOME", "relative/ignored");
  const Paths q = resolve_paths(env);
  EXPECT_EQ(q.config_file, "/xdg/config/cmdai/config.toml");
  EXPECT_EQ(q.history_db, "/home/tester/.local/share/cmdai/history.db");
}

TEST(Paths, CmdaiHomeOverridesAll) {
  testing::FakeEnv env;
  env.set_var("XDG_CONFIG_HOME", "/xdg/config");
  env.set_var("CMDAI_HOME", "/tmp/c");
  const Paths p = resolve_paths(env);
  EXPECT_EQ(p.config_file, "/tmp/c/config.toml");
  EXPECT_EQ(p.history_db, "/tmp/c/history.db");
  EXPECT_EQ(p.models_dir, "/tmp/c/models");
  EXPECT_EQ(p.log_file, "/tmp/c/cmdai.log");
}

}  // namespace
}  // namespace cmdai
