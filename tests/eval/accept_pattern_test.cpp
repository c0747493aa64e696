#include "eval/accept_pattern.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "eval/eval_set.h"

namespace cmdai::eval {
namespace {

bool matches(std::string_view pattern, std::string_view text) {
  auto compiled = AcceptPattern::compile(pattern);
  EXPECT_TRUE(compiled.has_value()) << pattern;
  auto found = compiled->search(text);
  EXPECT_TRUE(found.has_value()) << found.error().message;
  return *found;
}

TEST(AcceptPattern, SearchesAnywhereUnlessAnchored) {
  EXPECT_TRUE(matches("git status", "cd repo && git status"));
  EXPECT_FALSE(matches("^git status$", "cd repo && git status"));
  EXPECT_TRUE(matches("^ls(?:\\s+-[a-z]+)*$", "ls -la"));
}

TEST(AcceptPattern, LookaroundsAndInlineFlags) {
  const std::string name = R"((?<![^\s=<>])['"]?Café\.txt['"]?(?![^\s;|&)<>'"]))";
  EXPECT_TRUE(matches("^rm " + name + "$", "rm 'Café.txt'"));
  EXPECT_FALSE(matches("^rm " + name + "$", "rm xCafé.txt"));
  EXPECT_TRUE(matches(R"(-iname '\*\.(?i:pdf)')", "find . -iname '*.PDF'"));
  EXPECT_TRUE(matches("^(?=.*-delete)find", "find . -name x -delete"));
}

// As in Python's re on text: \w and \b know non-ASCII letters.
TEST(AcceptPattern, UnicodeClassesReadLettersAsPythonDoes) {
  EXPECT_TRUE(matches("^\\w+$", "jürgen"));
  EXPECT_TRUE(matches("\\bnaïve\\b", "wc -l naïve_x naïve"));
  EXPECT_FALSE(matches("^j\\w$", "jürgen"));
  EXPECT_TRUE(matches("^.{3}\\.md$", "日本語.md")) << ". is one character, not one byte";
}

TEST(AcceptPattern, BadPatternSaysWhatAndWhere) {
  auto bad = AcceptPattern::compile("^find (unclosed");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(bad.error().message.find("missing closing parenthesis"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("at offset 15"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(AcceptPattern::compile("(?P<name>x)y)").has_value());
}

TEST(AcceptPattern, CommandThatIsNotUtf8IsStillSearched) {
  EXPECT_TRUE(matches("^cat ", "cat caf\xe9.txt"));
  EXPECT_FALSE(matches("café", "cat caf\xe9.txt"));
}

// The evaluation sets come with known-correct and known-wrong commands per
// row (checked with Python's re by bench/eval/check_sets.py): under PCRE2
// every example must match its row and every wrong command must not.
void check_examples(const std::string& set_name, const std::string& examples_name) {
  const std::string dir = std::string(CMDAI_SOURCE_DIR) + "/bench/eval/";
  auto set = load_eval_set(dir + set_name);
  ASSERT_TRUE(set.has_value()) << set.error().describe();
  std::map<std::string, const EvalRow*> rows;
  for (const auto& row : set->rows) rows[row.id] = &row;
  std::ifstream in(dir + examples_name);
  ASSERT_TRUE(in.good());
  std::string line;
  std::getline(in, line);  // header
  int examples = 0;
  while (std::getline(in, line)) {
    const auto a = line.find('\t');
    const auto b = line.find('\t', a + 1);
    ASSERT_NE(b, std::string::npos) << line;
    const EvalRow* row = rows.at(line.substr(0, a));
    const std::string example = line.substr(a + 1, b - a - 1);
    const std::string wrong = line.substr(b + 1);
    EXPECT_TRUE(*row->accept.search(example)) << row->id << ": " << example;
    if (!wrong.empty()) {
      EXPECT_FALSE(*row->accept.search(wrong)) << row->id << ": " << wrong;
    }
    ++examples;
  }
  EXPECT_GE(examples, static_cast<int>(set->rows.size()));
}

TEST(AcceptPattern, FrozenSetExamplesAgreeWithPython) { check_examples("eval.tsv", "eval.examples.tsv"); }
TEST(AcceptPattern, DevelopmentSetExamplesAgreeWithPython) { check_examples("dev.tsv", "dev.examples.tsv"); }

}  // namespace
}  // namespace cmdai::eval
