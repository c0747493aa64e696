#include <gtest/gtest.h>

#include "semantic/highlight.h"
#include "semantic/support.h"

namespace cmdai::semantic {
namespace {

using testing::make_entry;

TEST(Highlight, TermsComeFromTheQuotedPhrasesOnly) {
  const auto terms = expression_terms(R"(command : ("docker ps" OR "tail" OR ("Docker" OR "dockerd")))");
  EXPECT_EQ(terms, (std::vector<std::string>{"docker", "ps", "tail", "dockerd"}));
  EXPECT_TRUE(expression_terms("").empty());
  EXPECT_TRUE(expression_terms("command : ()").empty());
}

TEST(Highlight, MarksWholeWordsInTheFirstFieldThatHasOne) {
  auto entry = make_entry("docker ps -a", "lists containers");
  EXPECT_EQ(highlight_terms(entry, {"docker", "ps"}), "[docker] [ps] -a");
  EXPECT_EQ(highlight_terms(entry, {"dock"}), "") << "whole words, not prefixes: prefixes are expanded to terms";
  EXPECT_EQ(highlight_terms(entry, {"containers"}), "lists [containers]");
  entry.user_input = "Show CONTAINERS";
  EXPECT_EQ(highlight_terms(entry, {"containers"}), "Show [CONTAINERS]") << "the request comes before the explanation";
  entry.tags = {"ops", "prod"};
  EXPECT_EQ(highlight_terms(entry, {"prod"}), "ops [prod]");
  EXPECT_EQ(highlight_terms(entry, {}), "");
}

TEST(Highlight, LongFieldsAreCutAroundTheFirstMatchOnCharacterBoundaries) {
  std::string command;
  for (int i = 0; i < 60; ++i) command += "é ";
  command += "needle";
  for (int i = 0; i < 100; ++i) command += " ü";
  const auto marked = highlight_terms(make_entry(command), {"needle"});
  EXPECT_EQ(marked.rfind("...", 0), 0u);
  EXPECT_NE(marked.find("[needle]"), std::string::npos);
  EXPECT_EQ(marked.substr(marked.size() - 3), "...");
  EXPECT_LT(marked.size(), command.size());
  EXPECT_NE(static_cast<unsigned char>(marked[3]) & 0xc0, 0x80) << "does not start inside a character";
  EXPECT_LT(static_cast<unsigned char>(marked[marked.size() - 4]), 0xc0) << "does not end inside a character";
  const std::string bad = "rm \xff\xfe needle";
  EXPECT_EQ(highlight_terms(make_entry(bad), {"needle"}), "rm \xff\xfe [needle]") << "bytes kept as they are";
}

}  // namespace
}  // namespace cmdai::semantic
