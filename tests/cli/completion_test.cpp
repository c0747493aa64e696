// Completion from the tables (completion.h), with a fixed source for the
// values that need the configuration.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli/completion.h"

namespace cmdai::cli {
namespace {

std::vector<std::string> words_for(std::vector<std::string> typed) {
  const ValueSource source = [](Complete kind) {
    if (kind == Complete::backend) return std::vector<std::string>{"auto", "ollama", "rules", "gpu-box"};
    return std::vector<std::string>{};
  };
  std::vector<std::string> out;
  for (auto& c : complete(typed, source)) out.push_back(c.word);
  return out;
}

bool has(const std::vector<std::string>& words, std::string_view word) {
  return std::ranges::find(words, word) != words.end();
}

TEST(Completion, SubcommandsFirstThenTheirActions) {
  EXPECT_EQ(words_for({"hi"}), (std::vector<std::string>{"history"}));
  EXPECT_TRUE(has(words_for({""}), "search"));
  EXPECT_FALSE(has(words_for({""}), "shell-suggest"));  // internal rows are not offered
  EXPECT_FALSE(has(words_for({""}), "complete-words"));
  EXPECT_EQ(words_for({"history", "ex"}), (std::vector<std::string>{"export"}));
  EXPECT_EQ(words_for({"--backend", "rules", "se"}), (std::vector<std::string>{"search"}));
}

TEST(Completion, FlagsOfTheSubcommandAndGlobalOnes) {
  const auto flags = words_for({"search", "--"});
  EXPECT_TRUE(has(flags, "--since"));
  EXPECT_TRUE(has(flags, "--backend"));
  EXPECT_FALSE(has(flags, "--jsonl"));  // check's own
  EXPECT_EQ(words_for({"check", "--js"}), (std::vector<std::string>{"--json", "--jsonl"}));
}

TEST(Completion, FlagValuesFromTheirCompleter) {
  EXPECT_EQ(words_for({"--backend", "gp"}), (std::vector<std::string>{"gpu-box"}));
  EXPECT_EQ(words_for({"-o", ""}), (std::vector<std::string>{"plain", "json", "yaml"}));
  EXPECT_EQ(words_for({"--color", "a"}), (std::vector<std::string>{"auto", "always"}));
  EXPECT_EQ(words_for({"search", "x", "--mode", "s"}), (std::vector<std::string>{"semantic"}));
  EXPECT_TRUE(has(words_for({"--config", "safety."}), "safety.level"));
}

TEST(Completion, OperandsShellsKeysAndTopics) {
  EXPECT_EQ(words_for({"init", "z"}), (std::vector<std::string>{"zsh"}));
  EXPECT_EQ(words_for({"completions", "f"}), (std::vector<std::string>{"fish"}));
  EXPECT_TRUE(has(words_for({"config", "set", "ui."}), "ui.verbosity"));
  EXPECT_TRUE(words_for({"config", "set", "ui.color", ""}).empty());
  EXPECT_EQ(words_for({"help", "sea"}), (std::vector<std::string>{"search"}));
}

TEST(Completion, NothingInsideARequestOrACommand) {
  EXPECT_TRUE(words_for({"list", "big", ""}).empty());
  EXPECT_TRUE(words_for({"run", "--", ""}).empty());
}

}  // namespace
}  // namespace cmdai::cli
