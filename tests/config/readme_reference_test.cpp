// README.md carries the configuration reference generated from the key
// table; this fails when they drift apart (regenerate with
// `cmdai config reference --markdown`).

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/configuration.h"
#include "config/reference.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::config {
namespace {

std::string readme_text() {
  std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/README.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(ReadmeReference, MatchesTheKeyTable) {
  const std::string readme = readme_text();
  ASSERT_FALSE(readme.empty()) << "README.md not found";
  const std::string begin = "<!-- config-reference:begin -->\n";
  const std::string end = "<!-- config-reference:end -->";
  const auto from = readme.find(begin);
  const auto to = readme.find(end);
  ASSERT_NE(from, std::string::npos) << "README.md lacks " << begin;
  ASSERT_NE(to, std::string::npos) << "README.md lacks " << end;
  EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), reference_markdown())
      << "README.md's configuration reference is stale: run `cmdai config reference --markdown`";
}

// The example configuration in the README loads without a single warning.
TEST(ReadmeReference, ExampleFileIsValid) {
  const std::string readme = readme_text();
  const auto anchor = readme.find("[backend.instances.work]");
  ASSERT_NE(anchor, std::string::npos);
  const auto begin = readme.rfind("```toml\n", anchor);
  const auto end = readme.find("```", anchor);
  ASSERT_NE(begin, std::string::npos);
  testing::TempDir dir;
  std::ofstream(dir / "config.toml") << readme.substr(begin + 8, end - begin - 8);
  testing::FakeEnv env;
  auto loaded = load_configuration(env, dir / "config.toml");
  EXPECT_TRUE(loaded.warnings.empty()) << loaded.warnings.front();
  EXPECT_EQ(loaded.state.preferred_instance, "work");
  EXPECT_EQ(loaded.state.safety_level, SafetyLevel::strict);
}

}  // namespace
}  // namespace cmdai::config
