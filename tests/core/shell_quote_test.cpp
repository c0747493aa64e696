#include "core/shell_quote.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "shell/parser.h"
#include "support/process.h"

namespace cmdai {
namespace {

TEST(ShellQuote, LeavesPlainWordsAndQuotesTheRest) {
  EXPECT_EQ(shell_quote("app.log"), "app.log");
  EXPECT_EQ(shell_quote("user@host:/tmp"), "user@host:/tmp");
  EXPECT_EQ(shell_quote("-rf"), "-rf");
  EXPECT_EQ(shell_quote("my file"), "'my file'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("*.pdf"), "'*.pdf'");
  EXPECT_EQ(shell_quote("~"), "'~'");
  EXPECT_EQ(shell_quote("Café.txt"), "'Café.txt'");
  EXPECT_EQ(shell_quote("=="), "'=='");  // zsh would expand =cmd
  EXPECT_EQ(shell_quote("a=b"), "a=b");
  EXPECT_EQ(shell_quote_always("TODO"), "'TODO'");
}

TEST(ShellQuote, FishEscapesQuotesAndBackslashesInsideQuotes) {
  EXPECT_EQ(shell_quote("it's", ShellDialect::fish), "'it\\'s'");
  EXPECT_EQ(shell_quote("a\\b", ShellDialect::fish), "'a\\\\b'");
  EXPECT_EQ(shell_quote("a\\b"), "'a\\b'");
}

TEST(ShellQuote, PathsKeepTheirTildeAndNeverReadAsOptions) {
  EXPECT_EQ(shell_quote_path("~"), "~");
  EXPECT_EQ(shell_quote_path("~/Downloads"), "~/Downloads");
  EXPECT_EQ(shell_quote_path("~/My Docs"), "~/'My Docs'");
  EXPECT_EQ(shell_quote_path("-weird"), "./-weird");
  EXPECT_EQ(shell_quote_path("-rf.txt"), "./-rf.txt");
  EXPECT_EQ(shell_quote_path("/var/log"), "/var/log");
}

// Values built from the pieces that break naive quoting: every shell
// metacharacter, both quotes, backslashes, newlines, leading dashes and
// tildes, letters outside ASCII.
rc::Gen<std::string> awkward_value() {
  static const std::vector<std::string> k_pieces = {
      "a", "Z", "0", " ",  "  ",  "\t", "\n", "'", "''", "\"", "\\",   "\\'", "$",      "$HOME", "${x}", "`", "$(id)",
      "!", "*", "?", "[",  "]",   "{",  "}",  "(", ")",  "~",  ";",    "&",   "|",      "<",     ">",    "#", "%",
      "=", ",", "-", "--", "-rf", ".",  "/",  "é", "ü",  "Ł",  "日本", "€",   "\u202e", "^",     "@",    ":"};
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(k_pieces)),
                      [](const std::vector<std::string>& pieces) {
                        std::string value;
                        for (const auto& p : pieces) value += p;
                        return value;
                      });
}

// Whatever the value, cmdai's own parser sees exactly one word equal to it.
RC_GTEST_PROP(ShellQuote, AnyValueStaysOneWordToTheParser, ()) {
  const std::string value = *awkward_value();
  for (const auto& quoted : {shell_quote(value), shell_quote_always(value)}) {
    const auto script = shell::parse("echo " + quoted);
    RC_ASSERT(script.has_value());
    RC_ASSERT(script->items.size() == 1u);
    RC_ASSERT(script->items[0].pipeline.commands.size() == 1u);
    const auto argv = shell::argv_of(script->items[0].pipeline.commands[0]);
    RC_ASSERT(argv.size() == 2u);
    RC_ASSERT(argv[1] == value);
  }
}

// The real shells read each quoted value back byte for byte: printf writes
// every argument followed by a NUL, so the output splits back into them.
std::vector<std::string> echoed_by(const std::string& shell, const std::vector<std::string>& words) {
  auto run =
      testing::run_process({shell, shell == "/usr/bin/fish" ? "--no-config" : "-f", "-c", "printf '%s\\0' " + [&] {
                              std::string joined;
                              for (const auto& w : words) joined += w + " ";
                              return joined;
                            }()});
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < run.out.size(); ++i) {
    if (run.out[i] == '\0') out.push_back(run.out.substr(start, i - start)), start = i + 1;
  }
  return out;
}

RC_GTEST_PROP(ShellQuote, BashZshAndFishReadEveryValueBackUnchanged, ()) {
  const auto values =
      *rc::gen::resize(12, rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(awkward_value())));
  std::vector<std::string> posix, fish, paths;
  for (const auto& v : values) {
    posix.push_back(shell_quote(v));
    fish.push_back(shell_quote(v, ShellDialect::fish));
  }
  RC_ASSERT(echoed_by("/bin/bash", posix) == values);
  RC_ASSERT(echoed_by("/usr/bin/zsh", posix) == values);
  RC_ASSERT(echoed_by("/usr/bin/fish", fish) == values);
}

}  // namespace
}  // namespace cmdai
