#include <gtest/gtest.h>

#include <set>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace cmdai::cli {
namespace {

TEST(FlagTable, HasNoDuplicatesWithinAScope) {
  std::set<std::pair<std::string, std::string>> longs;
  std::set<std::pair<std::string, char>> shorts;
  for (const auto& flag : flag_table()) {
    EXPECT_TRUE(longs.insert({std::string(flag.scope), std::string(flag.name)}).second) << flag.name;
    if (flag.short_name) {
      EXPECT_TRUE(shorts.insert({std::string(flag.scope), flag.short_name}).second) << flag.short_name;
    }
    EXPECT_FALSE(flag.help.empty()) << flag.name;
  }
  // A scoped flag must not shadow a global one.
  for (const auto& flag : flag_table()) {
    if (flag.scope.empty()) continue;
    EXPECT_FALSE(longs.count({"", std::string(flag.name)})) << flag.name;
  }
}

TEST(Args, ParsesLongShortInlineAndDoubleDash) {
  std::vector<std::string> argv{"-vv", "--output=json", "-b", "rules", "list", "files", "--", "--not-a-flag"};
  auto parsed = parse_args(argv, "");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->count("verbose"), 2u);
  EXPECT_EQ(parsed->value("output").value(), "json");
  EXPECT_EQ(parsed->value("backend").value(), "rules");
  EXPECT_EQ(parsed->positionals, (std::vector<std::string>{"list", "files", "--not-a-flag"}));
}

TEST(Args, SuggestsTheClosestFlag) {
  std::vector<std::string> argv{"--ouptut", "json"};
  auto parsed = parse_args(argv, "");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().hint, "did you mean --output?");
}

TEST(Args, ScopedFlagsOnlyInTheirSubcommand) {
  std::vector<std::string> argv{"history", "list", "--limit", "5"};
  EXPECT_TRUE(parse_args(argv, "history").has_value());
  EXPECT_FALSE(parse_args(argv, "").has_value());
}

TEST(Yaml, RendersNestedValues) {
  nlohmann::json value{{"a", 1}, {"b", {{"c", "x"}}}, {"d", {1, 2}}, {"e", nlohmann::json::array()}};
  EXPECT_EQ(to_yaml(value), "\"a\": 1\n\"b\":\n  \"c\": \"x\"\n\"d\":\n  - 1\n  - 2\n\"e\": []\n");
}

}  // namespace
}  // namespace cmdai::cli
