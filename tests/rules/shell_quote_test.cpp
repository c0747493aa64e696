#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "llm/rules/shell_quote.h"
#include "shell/parser.h"

namespace cmdai::llm::rules {
namespace {

TEST(RulesShellQuote, LeavesPlainWordsAndQuotesTheRest) {
  EXPECT_EQ(shell_quote("app.log"), "app.log");
  EXPECT_EQ(shell_quote("user@host:/tmp"), "user@host:/tmp");
  EXPECT_EQ(shell_quote("my file"), "'my file'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("-rf"), "'-rf'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("*.pdf"), "'*.pdf'");
  EXPECT_EQ(shell_quote_always("TODO"), "'TODO'");
}

TEST(RulesShellQuote, KeepsTheTildeOfHomePaths) {
  EXPECT_EQ(shell_quote_path("~"), "~");
  EXPECT_EQ(shell_quote_path("~/Downloads"), "~/Downloads");
  EXPECT_EQ(shell_quote_path("~/My Docs"), "~/'My Docs'");
  EXPECT_EQ(shell_quote_path("-weird"), "./-weird");
  EXPECT_EQ(shell_quote_path("/var/log"), "/var/log");
}

// Whatever the value, the shell sees exactly one word equal to it.
RC_GTEST_PROP(RulesShellQuote, AnyValueStaysOneWord, (const std::string& raw)) {
  std::string value;
  for (char c : raw) {
    if (c != '\0') value += c;
  }
  const auto script = shell::parse("echo " + shell_quote(value));
  RC_ASSERT(script.has_value());
  RC_ASSERT(script->items.size() == 1u);
  RC_ASSERT(script->items[0].pipeline.commands.size() == 1u);
  const auto argv = shell::argv_of(script->items[0].pipeline.commands[0]);
  RC_ASSERT(argv.size() == 2u);
  RC_ASSERT(argv[1] == value);
}

}  // namespace
}  // namespace cmdai::llm::rules
