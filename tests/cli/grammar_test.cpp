// Which words start a subcommand and which are a request (commands.h).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/commands.h"

namespace cmdai::cli {
namespace {

std::string_view started(std::vector<std::string> args) {
  const SubcommandSpec* sub = subcommand_of(args);
  return sub == nullptr ? "request" : sub->name;
}

TEST(Grammar, RunCheckAndExplainTakeOneCommandAfterDashesOrQuoted) {
  EXPECT_EQ(started({"run", "--", "make", "test"}), "run");
  EXPECT_EQ(started({"run", "make test"}), "run");
  EXPECT_EQ(started({"run", "-y", "--dry-run", "rm -rf build"}), "run");
  EXPECT_EQ(started({"check", "--", "rm", "-rf", "/"}), "check");
  EXPECT_EQ(started({"check", "--jsonl"}), "check");
  EXPECT_EQ(started({"explain", "tar -xzf a.tgz"}), "explain");
  EXPECT_EQ(started({"--shell", "zsh", "run", "--cwd", "/tmp", "--", "ls"}), "run");
}

TEST(Grammar, BareWordsAfterThemAreARequest) {
  EXPECT_EQ(started({"run", "the", "tests"}), "request");
  EXPECT_EQ(started({"check", "the", "disk", "space"}), "request");
  EXPECT_EQ(started({"explain", "how", "to", "list", "files"}), "request");
  EXPECT_EQ(started({"-b", "rules", "run", "the", "tests"}), "request");
  EXPECT_EQ(started({"run", "the", "tests", "--", "now"}), "request");
}

TEST(Grammar, HelpTakesAtMostOneTopic) {
  EXPECT_EQ(started({"help"}), "help");
  EXPECT_EQ(started({"help", "search"}), "help");
  EXPECT_EQ(started({"help", "me", "find", "big", "files"}), "request");
}

TEST(Grammar, OtherSubcommandsReadTheirOwnWords) {
  EXPECT_EQ(started({"history", "list", "--limit", "5"}), "history");
  EXPECT_EQ(started({"search", "compress", "logs"}), "search");
  EXPECT_EQ(started({"config", "set", "ui.color", "false"}), "config");
  EXPECT_EQ(started({"list", "big", "files"}), "request");
  EXPECT_EQ(started({"--", "run", "the", "tests"}), "request");
}

TEST(Grammar, ActionWordsComeFromTheUsage) {
  EXPECT_EQ(action_words(*find_subcommand("history")).front(), "list");
  EXPECT_EQ(action_words(*find_subcommand("model")), (std::vector<std::string>{"list", "pull", "rm", "path"}));
  EXPECT_EQ(action_words(*find_subcommand("init")), (std::vector<std::string>{"bash", "zsh", "fish"}));
  EXPECT_TRUE(action_words(*find_subcommand("search")).empty());
  EXPECT_TRUE(action_words(*find_subcommand("explain")).empty());
  EXPECT_TRUE(action_words(*find_subcommand("doctor")).empty());
}

TEST(Grammar, EveryListedSubcommandHasExamplesOrIsTrivial) {
  for (const auto& sub : subcommand_table()) {
    if (sub.usage.empty() || sub.name == "version" || sub.name == "doctor") continue;
    EXPECT_FALSE(sub.examples.empty()) << sub.name;
    for (const auto line : table_words(sub.examples, '\n'))
      EXPECT_EQ(line.rfind("cmdai", 0) == 0 || line.find("cmdai") != std::string_view::npos, true) << line;
  }
}

}  // namespace
}  // namespace cmdai::cli
