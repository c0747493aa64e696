// ConfigWatcher: reloads only when the file's bytes change, publishes each
// changed key once, keeps the configuration while the file cannot be read,
// and watches the file alone when asked to (the editor).

#include "config/config_watcher.h"

#include <gtest/gtest.h>

#include <fstream>

#include "config/faulty_env.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::config {
namespace {

class Watcher : public ::testing::Test {
 protected:
  void write(const std::string& text) { std::ofstream(m_path, std::ios::binary) << text; }
  testing::TempDir m_dir;
  std::filesystem::path m_path = m_dir / "config.toml";
};

TEST_F(Watcher, PublishesOnlyWhenTheBytesChange) {
  testing::FakeEnv env;
  write("[ui]\nverbosity = 'quiet'\n");
  ConfigWatcher watcher(env, m_path);
  std::vector<ConfigChange> heard;
  auto subscription = watcher.live().subscribe([&](const ConfigChange& change) { heard.push_back(change); });
  EXPECT_TRUE(watcher.poll().empty());
  write("[ui]\nverbosity = 'quiet'\n# a comment only\n");
  EXPECT_TRUE(watcher.poll().empty()) << "reloaded, but no value changed";
  write("[ui]\nverbosity = 'debug'\nstreaming = false\n");
  const auto changes = watcher.poll();
  EXPECT_EQ(changes, heard);
  EXPECT_EQ(changes,
            (std::vector<ConfigChange>{{"ui.streaming", "true", "false"}, {"ui.verbosity", "quiet", "debug"}}));
  EXPECT_TRUE(watcher.poll().empty());
}

TEST_F(Watcher, AnUnreadableFileKeepsTheConfigurationUntilItCanBeRead) {
  testing::FaultyEnv env;
  write("[safety]\nlevel = 'strict'\n");
  ConfigWatcher watcher(env, m_path);
  write("[safety]\nlevel = 'permissive'\n");
  env.m_read_errno = EACCES;
  EXPECT_TRUE(watcher.poll().empty());
  EXPECT_EQ(watcher.live().snapshot().safety_level, SafetyLevel::strict);
  env.m_read_errno = 0;
  EXPECT_EQ(watcher.poll(), (std::vector<ConfigChange>{{"safety.level", "strict", "permissive"}}));
}

TEST_F(Watcher, FileOnlyIgnoresTheEnvironmentAndOverrides) {
  testing::FakeEnv env;
  env.set_var("CMDAI_SAFETY_LEVEL", "permissive");
  write("[safety]\nlevel = 'strict'\n");
  const std::vector<Override> overrides{{"ui.verbosity", "debug", "--config"}};
  ConfigWatcher all(env, m_path, overrides);
  ConfigWatcher file(env, m_path, overrides, WatchedLayers::file_only);
  EXPECT_EQ(all.live().snapshot().safety_level, SafetyLevel::permissive);
  EXPECT_EQ(all.live().snapshot().verbosity_level, VerbosityLevel::debug);
  EXPECT_EQ(file.live().snapshot().safety_level, SafetyLevel::strict);
  EXPECT_EQ(file.live().snapshot().verbosity_level, VerbosityLevel::normal);
  write("[safety]\nlevel = 'moderate'\n");
  EXPECT_TRUE(all.poll().empty()) << "the environment still decides the level";
  EXPECT_EQ(file.poll(), (std::vector<ConfigChange>{{"safety.level", "strict", "moderate"}}));
}

TEST_F(Watcher, AFileThatAppearsOrVanishesIsAChange) {
  testing::FakeEnv env;
  ConfigWatcher watcher(env, m_path);
  write("");
  EXPECT_TRUE(watcher.poll().empty()) << "an empty file says what no file says";
  write("[history]\nenabled = false\n");
  EXPECT_EQ(watcher.poll().size(), 1u);
  std::filesystem::remove(m_path);
  EXPECT_EQ(watcher.poll(), (std::vector<ConfigChange>{{"history.enabled", "false", "true"}}));
}

}  // namespace
}  // namespace cmdai::config
