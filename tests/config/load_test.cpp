// Loading in layers: default < file < environment < command line, with the
// origin of every value, and files that are broken in every way we could think of.

#include <gtest/gtest.h>

#include <fstream>

#include "config/configuration.h"
#include "config/faulty_env.h"
#include "config/last_good.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::config {
namespace {

class Load : public ::testing::Test {
 protected:
  void write(const std::string& text) { std::ofstream(m_path, std::ios::binary) << text; }
  LoadedConfiguration load(const std::vector<Override>& overrides = {}) {
    return load_configuration(m_env, m_path, overrides);
  }
  bool warned(const LoadedConfiguration& loaded, const std::string& part) {
    for (const auto& w : loaded.warnings) {
      if (w.find(part) != std::string::npos) return true;
    }
    return false;
  }
  testing::TempDir m_dir;
  std::filesystem::path m_path = m_dir / "config.toml";
  testing::FakeEnv m_env;
};

TEST_F(Load, MissingFileGivesDefaultsWithDefaultOrigins) {
  auto loaded = load();
  EXPECT_EQ(loaded.state, ConfigurationState{});
  EXPECT_TRUE(loaded.warnings.empty());
  EXPECT_TRUE(loaded.origins.empty());
}

TEST_F(Load, PrecedenceIsCommandLineOverEnvOverFileOverDefault) {
  write("[safety]\nlevel = \"strict\"\n[history]\nmax_entries = 50\nenabled = false\n");
  m_env.set_var("CMDAI_SAFETY_LEVEL", "permissive");
  m_env.set_var("CMDAI_HISTORY_MAX_ENTRIES", "70");
  auto loaded = load({{"history.max_entries", "90", "--config"}});
  EXPECT_EQ(loaded.state.safety_level, SafetyLevel::permissive);
  EXPECT_EQ(loaded.state.retention_policy.max_entries, 90u);
  EXPECT_FALSE(loaded.state.history_enabled);
  EXPECT_EQ(loaded.origins["safety.level"].origin, Origin::env);
  EXPECT_EQ(loaded.origins["safety.level"].where, "CMDAI_SAFETY_LEVEL");
  EXPECT_EQ(loaded.origins["history.max_entries"].origin, Origin::command_line);
  EXPECT_EQ(loaded.origins["history.enabled"].origin, Origin::file);
  EXPECT_EQ(loaded.origins["history.enabled"].where, m_path.string() + ":5");
  EXPECT_EQ(loaded.origins.count("ui.color"), 0u);
  EXPECT_TRUE(loaded.warnings.empty());
}

TEST_F(Load, NoColorTurnsColourOffButCommandLineWins) {
  m_env.set_var("NO_COLOR", "1");
  EXPECT_FALSE(load().state.color_output);
  EXPECT_TRUE(load({{"ui.color", "true", "--config"}}).state.color_output);
}

TEST_F(Load, EveryBadValueNamesFileLineAndKeepsTheDefault) {
  write(
      "[backend]\n"
      "fallback_chain = [\"ollama\", \"gpt5\"]\n"
      "[backend.instances.ollama]\n"
      "endpoint = \"localhost:11434\"\n"
      "timeout_ms = 0\n"
      "retries = 11\n"
      "[history]\n"
      "max_entries = -1\n"
      "max_age_days = -1\n"
      "[safety]\n"
      "custom_patterns = [\"(unclosed\"]\n"
      "level = 3\n");
  auto loaded = load();
  const std::string file = m_path.string() + ":";
  EXPECT_TRUE(warned(loaded, file + "2: backend.fallback_chain: fallback chain names unknown backend 'gpt5'"));
  EXPECT_TRUE(warned(loaded, file + "4: backend.instances.ollama.endpoint: must be an http"));
  EXPECT_TRUE(warned(loaded, file + "5: backend.instances.ollama.timeout_ms"));
  EXPECT_TRUE(warned(loaded, file + "6: backend.instances.ollama.retries"));
  EXPECT_TRUE(warned(loaded, file + "8: history.max_entries"));
  EXPECT_TRUE(warned(loaded, file + "9: history.max_age_days"));
  EXPECT_TRUE(warned(loaded, file + "11: safety.custom_patterns"));
  EXPECT_TRUE(warned(loaded, file + "12: safety.level must be a string"));
  EXPECT_EQ(loaded.warnings.size(), 8u);
  const ConfigurationState fresh;
  EXPECT_EQ(loaded.state.fallback_instances, fresh.fallback_instances);
  EXPECT_EQ(loaded.state.retention_policy, fresh.retention_policy);
  EXPECT_EQ(loaded.state.backend_configs["ollama"], BackendConfig{});
  EXPECT_TRUE(loaded.state.custom_safety_patterns.empty());
}

// Defaults except that nothing may run: what a file that never loaded gives.
ConfigurationState refused_defaults(const LoadedConfiguration& loaded) {
  ConfigurationState state;
  state.execution_refused = loaded.state.execution_refused;
  return state;
}

TEST_F(Load, SyntaxErrorWithoutAnEarlierGoodFileRefusesExecution) {
  write("[history]\nenabled = false\n[backend\npreferred = \n");
  auto loaded = load();
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find(m_path.string() + ":3:"), std::string::npos) << loaded.warnings[0];
  EXPECT_NE(loaded.warnings[0].find("nothing will be run until"), std::string::npos) << loaded.warnings[0];
  EXPECT_EQ(loaded.source, FileSource::unusable);
  ASSERT_TRUE(loaded.state.execution_refused.has_value());
  EXPECT_NE(loaded.state.execution_refused->find(m_path.string() + ":3:"), std::string::npos);
  EXPECT_EQ(loaded.state, refused_defaults(loaded));
}

// The three ways one bad value used to throw the whole file away, with a
// strict safety level in it: the last file that loaded stands in, and the
// warning names FILE:LINE:COL of the error.
TEST_F(Load, FileThatStopsParsingFallsBackToTheLastGoodOne) {
  const std::string good = "[safety]\nlevel = \"strict\"\n[history]\nmax_entries = 500\n";
  write(good);
  ASSERT_EQ(load().state.safety_level, SafetyLevel::strict);
  ASSERT_TRUE(std::filesystem::exists(last_good_path(m_path)));
  struct Broken {
    std::string text;
    std::string where;
  };
  for (const Broken& broken :
       std::vector<Broken>{{good + "[ui]\nverbosity = \"quiet\"\nverbosity = \"debug\"\n", ":7:"},  // duplicate key
                           {good + "auto_cleanup_days = 99999999999999999999999\n", ":5:"},         // out of range
                           {good + "[ui]\nverbosity = \"quiet\n", ":6:"}}) {  // unterminated string
    write(broken.text);
    auto loaded = load();
    EXPECT_EQ(loaded.source, FileSource::last_good) << broken.text;
    EXPECT_EQ(loaded.state.safety_level, SafetyLevel::strict) << broken.text;
    EXPECT_EQ(loaded.state.retention_policy.max_entries, 500u);
    EXPECT_FALSE(loaded.state.execution_refused.has_value());
    ASSERT_FALSE(loaded.warnings.empty());
    EXPECT_NE(loaded.warnings[0].find(m_path.string() + broken.where), std::string::npos) << loaded.warnings[0];
    EXPECT_NE(loaded.warnings[0].find("using the last configuration that loaded"), std::string::npos);
    EXPECT_EQ(loaded.origins["safety.level"].where, last_good_path(m_path).string() + ":2");
  }
  // The broken file never replaced the good copy.
  std::ifstream kept(last_good_path(m_path));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), good);
}

TEST_F(Load, ValuesTheKeyTableRejectsFallBackOneByOne) {
  write("[safety]\nlevel = \"strict\"\n[history]\nmax_entries = -5\n[ui]\nverbosity = \"loud\"\n");
  auto loaded = load();
  EXPECT_EQ(loaded.source, FileSource::file);
  EXPECT_EQ(loaded.state.safety_level, SafetyLevel::strict);
  EXPECT_FALSE(loaded.state.retention_policy.max_entries.has_value()) << "the default: no limit";
  EXPECT_EQ(loaded.state.verbosity_level, VerbosityLevel::normal);
  EXPECT_TRUE(warned(loaded, m_path.string() + ":4: history.max_entries"));
  EXPECT_TRUE(warned(loaded, m_path.string() + ":6: ui.verbosity"));
}

TEST_F(Load, DirectoryAtTheConfigPathIsNamedNotIgnored) {
  std::filesystem::create_directories(m_path);
  auto loaded = load();
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find(m_path.string()), std::string::npos) << loaded.warnings[0];
  EXPECT_NE(loaded.warnings[0].find("directory"), std::string::npos) << loaded.warnings[0];
  EXPECT_EQ(loaded.source, FileSource::unusable);
}

TEST_F(Load, InvalidUtf8IsNamedWithFileLineAndColumn) {
  write(
      "[safety]\nlevel = \"strict\"\n[backend.instances.ollama]\nmodel = \"qw\xff"
      "en\"\n");
  auto loaded = load();
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find(m_path.string() + ":4:"), std::string::npos) << loaded.warnings[0];
  EXPECT_NE(loaded.warnings[0].find("invalid UTF-8"), std::string::npos) << loaded.warnings[0];
  EXPECT_NE(loaded.warnings[0].find("save it as UTF-8"), std::string::npos) << loaded.warnings[0];
  EXPECT_EQ(loaded.state, refused_defaults(loaded));
}

TEST_F(Load, Utf8ValuesLoadAsWritten) {
  write("[backend.instances.ollama]\nmodel = \"/home/j\xc3\xbcrgen/mod\xc3\xa8les/\xe6\x97\xa5.gguf\"\n");
  auto loaded = load();
  EXPECT_TRUE(loaded.warnings.empty()) << loaded.warnings[0];
  EXPECT_EQ(loaded.state.backend_configs["ollama"].model, "/home/j\xc3\xbcrgen/mod\xc3\xa8les/\xe6\x97\xa5.gguf");
}

TEST_F(Load, TruncatedFileAndBinaryGarbageNeverCrash) {
  const std::string good = "[safety]\nlevel = \"strict\"\n[history]\nmax_entries = 500\n";
  for (std::size_t cut = 0; cut <= good.size(); ++cut) {
    write(good.substr(0, cut));
    auto loaded = load();
    if (cut == good.size()) {
      EXPECT_EQ(loaded.state.retention_policy.max_entries, 500u);
    }
  }
  write(std::string("\x00\xff\xfe[[[\x01", 7));
  EXPECT_FALSE(load().warnings.empty());
  write("a = \"caf\xc3\"\n");
  EXPECT_FALSE(load().warnings.empty());
}

TEST_F(Load, HugeFileIsRefusedWithoutReadingItAsConfig) {
  write("[history]\nenabled = false\n# " + std::string(2 << 20, 'x') + "\n");
  auto loaded = load();
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find("too large"), std::string::npos);
  EXPECT_TRUE(loaded.state.history_enabled);
}

TEST_F(Load, UnknownKeysAreReportedWithSuggestion) {
  write("[histroy]\nenabled = false\n");
  auto loaded = load();
  EXPECT_TRUE(warned(loaded, ":2: unknown key 'histroy.enabled' (did you mean 'history.enabled'?)"));
}

TEST_F(Load, InstancesFromFileAndEnvironment) {
  write(
      "[backend]\npreferred = \"work\"\nfallback_chain = [\"work\", \"rules\"]\n"
      "[backend.instances.work]\ntype = \"openai\"\nendpoint = \"https://llm.example.com/v1\"\n"
      "api_key_env = \"WORK_KEY\"\n");
  m_env.set_var("CMDAI_BACKEND_OLLAMA_ENDPOINT", "http://127.0.0.1:11434");
  m_env.set_var("CMDAI_BACKEND_WORK_RETRIES", "3");
  auto loaded = load();
  EXPECT_TRUE(loaded.warnings.empty()) << loaded.warnings[0];
  EXPECT_EQ(loaded.state.preferred_backend, BackendType::openai);
  EXPECT_EQ(loaded.state.preferred_instance, "work");
  EXPECT_EQ(loaded.state.backend_configs["work"].retries, 3);
  EXPECT_EQ(loaded.state.backend_configs["work"].api_key_env, "WORK_KEY");
  EXPECT_EQ(loaded.state.backend_configs["ollama"].endpoint, "http://127.0.0.1:11434");
  EXPECT_EQ(loaded.state.fallback_chain, (std::vector<BackendType>{BackendType::openai, BackendType::rules}));
}

TEST_F(Load, BadEnvironmentAndCommandLineValuesAreIgnoredWithAMessage) {
  m_env.set_var("CMDAI_BACKEND_OLLAMA_RETRIES", "many");
  m_env.set_var("CMDAI_SAFETY_LEVEL", "yolo");
  auto loaded = load({{"ui.nope", "1", "--config"}, {"history.max_age_days", "0", "--config"}});
  EXPECT_TRUE(warned(loaded, "CMDAI_BACKEND_OLLAMA_RETRIES: "));
  EXPECT_TRUE(warned(loaded, "CMDAI_SAFETY_LEVEL: safety.level: 'yolo' is not one of"));
  EXPECT_TRUE(warned(loaded, "--config: unknown key 'ui.nope'"));
  EXPECT_TRUE(warned(loaded, "--config: history.max_age_days: must be greater than 0"));
  EXPECT_EQ(loaded.state.safety_level, SafetyLevel::moderate);
}

TEST_F(Load, UnreadableFileIsAWarning) {
  write("[history]\nenabled = false\n");
  testing::FaultyEnv env;
  env.m_read_errno = EACCES;
  auto loaded = load_configuration(env, m_path);
  EXPECT_EQ(loaded.warnings.size(), 1u);
  EXPECT_EQ(loaded.state, refused_defaults(loaded));
  EXPECT_TRUE(loaded.state.execution_refused.has_value());
}

}  // namespace
}  // namespace cmdai::config
