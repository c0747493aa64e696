// Text forms of values: what `config set`, the environment and the editor accept.

#include "config/config_value.h"

#include <gtest/gtest.h>

namespace cmdai::config {
namespace {

using List = std::vector<std::string>;

TEST(ConfigValue, ParsesEachType) {
  EXPECT_EQ(*parse_text(KeyType::boolean, "yes"), ConfigValue{true});
  EXPECT_EQ(*parse_text(KeyType::boolean, "off"), ConfigValue{false});
  EXPECT_FALSE(parse_text(KeyType::boolean, "maybe"));
  EXPECT_EQ(*parse_text(KeyType::integer, " 42 "), ConfigValue{std::int64_t{42}});
  EXPECT_FALSE(parse_text(KeyType::integer, "4x"));
  EXPECT_FALSE(parse_text(KeyType::integer, "99999999999999999999999"));
  EXPECT_EQ(*parse_text(KeyType::list, "a, b ,c"), (ConfigValue{List{"a", "b", "c"}}));
  EXPECT_EQ(*parse_text(KeyType::list, "['x,y', \"z\"]"), (ConfigValue{List{"x,y", "z"}}));
  EXPECT_FALSE(parse_text(KeyType::list, "['unclosed"));
  EXPECT_EQ(*parse_text(KeyType::text, ""), ConfigValue{});
}

TEST(ConfigValue, AnArgumentIsATomlArrayOrOneWholeItem) {
  EXPECT_EQ(*parse_argument(KeyType::list, "^rm .{1,3}/"), (ConfigValue{List{"^rm .{1,3}/"}}));
  EXPECT_EQ(*parse_argument(KeyType::list, " a, b "), (ConfigValue{List{"a, b"}}));
  EXPECT_EQ(*parse_argument(KeyType::list, R"(["a,b", 'c', "[a-z]{1,3}"])"),
            (ConfigValue{List{"a,b", "c", "[a-z]{1,3}"}}));
  EXPECT_EQ(*parse_argument(KeyType::list, "[]"), (ConfigValue{List{}}));
  EXPECT_EQ(*parse_argument(KeyType::list, ""), ConfigValue{});
  for (const char* malformed : {"[a-z]{1,3}", R"(["a", "b")", "[1, 2]", R"(["a"] x)"}) {
    auto parsed = parse_argument(KeyType::list, malformed);
    ASSERT_FALSE(parsed) << malformed;
    EXPECT_NE(parsed.error().hint.find("--add"), std::string::npos) << parsed.error().describe();
  }
  EXPECT_FALSE(parse_argument(KeyType::list, std::string("a\0b", 3)));
  EXPECT_EQ(*parse_argument(KeyType::integer, "7"), ConfigValue{std::int64_t{7}});
}

TEST(ConfigValue, EditListRemovesThenAppendsSingleItems) {
  EXPECT_EQ(*edit_list({"a,b", "c"}, {"d{1,2}", "c"}, {"a,b"}), (List{"c", "d{1,2}"}));
  EXPECT_EQ(*edit_list({}, {"x", "x"}, {}), (List{"x"}));
  auto missing = edit_list({"a"}, {}, {"b"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("'b' is not in the list"), std::string::npos);
  EXPECT_FALSE(edit_list({}, {""}, {}));
  EXPECT_FALSE(edit_list({}, {"\xff"}, {}));
}

TEST(ConfigValue, RejectsNulAndInvalidUtf8) {
  EXPECT_FALSE(parse_text(KeyType::text, std::string("a\0b", 3)));
  EXPECT_FALSE(parse_text(KeyType::text, "\xff\xfe"));
  EXPECT_FALSE(parse_text(KeyType::text, "\xc3"));
  EXPECT_TRUE(parse_text(KeyType::text, "caf\xc3\xa9"));
  EXPECT_TRUE(parse_text(KeyType::text, "\xe6\x97\xa5\xf0\x9f\x98\x80"));
  EXPECT_FALSE(parse_text(KeyType::text, "\xc0\xaf")) << "overlong /";
  EXPECT_FALSE(parse_text(KeyType::text, "\xe0\x80\xaf")) << "overlong /";
  EXPECT_FALSE(parse_text(KeyType::text, "\xed\xa0\x80")) << "surrogate";
  EXPECT_FALSE(parse_text(KeyType::text, "\xf4\x90\x80\x80")) << "past U+10FFFF";
  EXPECT_FALSE(parse_text(KeyType::text, std::string(100'000, 'a')));
}

TEST(ConfigValue, TextRoundTripsIncludingAwkwardListItems) {
  for (const ConfigValue& value : {ConfigValue{true}, ConfigValue{std::int64_t{-3}}, ConfigValue{std::string("x")},
                                   ConfigValue{List{"a", "b"}}, ConfigValue{List{"a,b", " c", "it's"}}}) {
    const KeyType type = value.index() == 1   ? KeyType::boolean
                         : value.index() == 2 ? KeyType::integer
                         : value.index() == 3 ? KeyType::text
                                              : KeyType::list;
    auto back = parse_text(type, to_text(value));
    ASSERT_TRUE(back) << to_text(value) << ": " << back.error().describe();
    EXPECT_EQ(*back, value) << to_text(value);
  }
}

}  // namespace
}  // namespace cmdai::config
