// README.md carries the configuration reference generated from the key
// table; this fails when they drift apart (regenerate with
// `cmdai config reference --markdown`).

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/reference.h"

namespace cmdai::config {
namespace {

TEST(ReadmeReference, MatchesTheKeyTable) {
  std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string readme = buffer.str();
  const std::string begin = "<!-- config-reference:begin -->\n";
  const std::string end = "<!-- config-reference:end -->";
  const auto from = readme.find(begin);
  const auto to = readme.find(end);
  ASSERT_NE(from, std::string::npos) << "README.md lacks " << begin;
  ASSERT_NE(to, std::string::npos) << "README.md lacks " << end;
  EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), reference_markdown())
      << "README.md's configuration reference is stale: run `cmdai config reference --markdown`";
}

}  // namespace
}  // namespace cmdai::config
