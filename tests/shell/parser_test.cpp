#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "shell/parser.h"

namespace cmdai::shell {
namespace {

Script parsed(std::string_view text) {
  auto script = parse(text);
  EXPECT_TRUE(script) << text << ": " << (script ? "" : script.error().message);
  return script ? *script : Script{};
}

std::vector<std::string> first_argv(std::string_view text) {
  const auto script = parsed(text);
  if (script.items.empty() || script.items[0].pipeline.commands.empty()) return {};
  return argv_of(script.items[0].pipeline.commands[0]);
}

using Argv = std::vector<std::string>;

TEST(ShellParser, DequotesTheWayTheShellDoes) {
  EXPECT_EQ(first_argv("r\\m -rf /"), (Argv{"rm", "-rf", "/"}));
  EXPECT_EQ(first_argv("\"rm\" ''-rf '/'"), (Argv{"rm", "-rf", "/"}));
  EXPECT_EQ(first_argv("''rm -r\"f\" /"), (Argv{"rm", "-rf", "/"}));
  EXPECT_EQ(first_argv("echo $'a\\x41\\n\\u00e9' \"x\\\"y\""), (Argv{"echo", "aA\n\xc3\xa9", "x\"y"}));
  EXPECT_EQ(first_argv("echo a\\\nb"), (Argv{"echo", "ab"}));
}

TEST(ShellParser, IfsExpansionSplitsWords) {
  EXPECT_EQ(first_argv("rm${IFS}-rf${IFS}/"), (Argv{"rm", "-rf", "/"}));
  EXPECT_EQ(first_argv("rm$IFS-rf$IFS/"), (Argv{"rm", "-rf", "/"}));
  EXPECT_EQ(first_argv("echo \"a${IFS}b\"").size(), 2u);
}

TEST(ShellParser, SplitsListsAndPipelines) {
  const auto script = parsed("a | b |& c && d || e; f & g\nh");
  ASSERT_EQ(script.items.size(), 6u);
  EXPECT_EQ(script.items[0].pipeline.commands.size(), 3u);
  EXPECT_EQ(script.items[0].next, Connector::and_if);
  EXPECT_EQ(script.items[1].next, Connector::or_if);
  EXPECT_EQ(script.items[2].next, Connector::sequence);
  EXPECT_EQ(script.items[3].next, Connector::background);
  EXPECT_EQ(script.items[5].next, Connector::none);
}

TEST(ShellParser, KeepsSpansOfCommandsAndWords) {
  const std::string text = "ls; rm -rf /tmp/x";
  const auto script = parsed(text);
  ASSERT_EQ(script.items.size(), 2u);
  const auto& rm = script.items[1].pipeline.commands[0];
  EXPECT_EQ(text.substr(rm.span.begin, rm.span.end - rm.span.begin), "rm -rf /tmp/x");
  EXPECT_EQ(text.substr(rm.words[2].span.begin, rm.words[2].span.end - rm.words[2].span.begin), "/tmp/x");
}

TEST(ShellParser, ParsesSubstitutionsRecursively) {
  const auto script = parsed("echo $(rm -rf \"$(echo /)\") `ls \\`pwd\\`` <(cat x) ${X:-$(id)}");
  const auto& words = script.items[0].pipeline.commands[0].words;
  ASSERT_EQ(words.size(), 5u);
  ASSERT_EQ(words[1].substitutions.size(), 1u);
  const auto& inner = words[1].substitutions[0].body[0].items[0].pipeline.commands[0];
  EXPECT_EQ(argv_of(inner), (Argv{"rm", "-rf", "$(echo /)"}));
  EXPECT_EQ(words[2].substitutions[0].kind, SubstitutionKind::backtick);
  EXPECT_EQ(words[3].substitutions[0].kind, SubstitutionKind::process_in);
  EXPECT_EQ(words[4].substitutions.size(), 1u);
}

TEST(ShellParser, SubshellsGroupsAndFunctions) {
  const auto script = parsed(":(){ :|:& };:");
  ASSERT_EQ(script.items.size(), 2u);
  const auto& def = script.items[0].pipeline.commands[0];
  EXPECT_EQ(def.kind, CommandKind::function_def);
  EXPECT_EQ(def.function_name, ":");
  const auto& group = def.body[0].items[0].pipeline.commands[0];
  EXPECT_EQ(group.kind, CommandKind::group);
  EXPECT_EQ(group.body[0].items[0].pipeline.commands.size(), 2u);
  EXPECT_EQ(group.body[0].items[0].next, Connector::background);
  EXPECT_EQ(parsed("(cd /tmp && rm x) > log").items[0].pipeline.commands[0].redirects.size(), 1u);
}

TEST(ShellParser, HeredocsAndHereStrings) {
  const auto script = parsed("cat <<EOF | sh\nrm -rf /\nEOF\nbash <<< 'id'\ncat <<-'X'\n\tliteral $y\n\tX\n");
  ASSERT_EQ(script.items.size(), 3u);
  const auto& cat = script.items[0].pipeline.commands[0];
  ASSERT_EQ(cat.redirects.size(), 1u);
  EXPECT_EQ(cat.redirects[0].heredoc_body, "rm -rf /\n");
  EXPECT_EQ(script.items[1].pipeline.commands[0].redirects[0].op, RedirectOp::herestring);
  const auto& quoted = script.items[2].pipeline.commands[0].redirects[0];
  EXPECT_FALSE(quoted.heredoc_expands);
  EXPECT_EQ(quoted.heredoc_body, "literal $y\n");
}

TEST(ShellParser, AssignmentsRedirectionsComments) {
  const auto script = parsed("A=1 B+=\"x y\" arr=(1 2) cmd arg 2>&1 >>out # rm -rf /");
  const auto& c = script.items[0].pipeline.commands[0];
  EXPECT_EQ(c.assignments.size(), 3u);
  EXPECT_EQ(argv_of(c), (Argv{"cmd", "arg"}));
  ASSERT_EQ(c.redirects.size(), 2u);
  EXPECT_EQ(c.redirects[0].op, RedirectOp::dup_write);
  EXPECT_EQ(c.redirects[0].fd, 2);
  EXPECT_EQ(c.redirects[1].op, RedirectOp::append);
  EXPECT_EQ(first_argv("\"A=1\" x"), (Argv{"A=1", "x"}));
  const auto nested = parsed("long_name=$(curl -s x); echo");
  EXPECT_EQ(nested.items[0].pipeline.commands[0].assignments.size(), 1u);
  EXPECT_TRUE(nested.items[0].pipeline.commands[0].words.empty());
}

TEST(ShellParser, FlattensCompoundCommands) {
  const auto script = parsed("if true; then rm a; elif x; then :; else rm b; fi; for f in *.o; do rm \"$f\"; done");
  std::size_t rms = 0;
  for (const auto& item : script.items) {
    for (const auto& c : item.pipeline.commands) rms += !c.words.empty() && c.words[0].text == "rm";
  }
  EXPECT_EQ(rms, 3u);
  const auto cases = parsed("case $x in a|b) rm -rf a;; *) echo no;; esac");
  EXPECT_EQ(cases.items[0].pipeline.commands[0].body[0].items.size(), 2u);
  EXPECT_TRUE(parse("while read l; do echo \"$l\"; done < f > g"));
  EXPECT_TRUE(parse("[[ $a > 3 && -f x ]] && echo y"));
  EXPECT_TRUE(parse("(( i++ )); echo $((1+2)); ls !(keep)"));
}

TEST(ShellParser, RejectsWhatTheShellWouldReject) {
  for (const char* bad : {"echo 'x", "echo \"x", "echo $(ls", "ls |", "| ls", "a &&", "(ls", "ls )", "echo `x", "; ls",
                          "cat >", "{ ls; "}) {
    EXPECT_FALSE(parse(bad)) << bad;
  }
}

TEST(ShellParser, DepthLimitIsAnErrorNotACrash) {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "$(";
  for (int i = 0; i < 10000; ++i) deep += ")";
  auto r = parse(deep);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("deeper"), std::string::npos);
  std::string open, close;
  for (int i = 0; i < 5000; ++i) open += "( ", close += " )";
  EXPECT_FALSE(parse(open + "ls" + close));
  open.clear(), close.clear();
  for (int i = 0; i < 60; ++i) open += "( ", close += " )";
  EXPECT_TRUE(parse(open + "ls" + close));
}

TEST(ShellParser, NulBytesAndInvalidUtf8AreOrdinaryBytes) {
  const std::string text("echo a\0b \xff\xfe", 12);
  auto r = parse(text);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->items[0].pipeline.commands[0].words.size(), 3u);
}

RC_GTEST_PROP(ShellParserProperty, NeverCrashesOnRandomInput, ()) {
  const auto alphabet = std::string("ab $'\"`\\(){}|&;<>\n#=*~-!0123456789[]IFS");
  const auto text = *rc::gen::container<std::string>(rc::gen::elementOf(alphabet));
  auto r = parse(text);
  if (r) {
    for (const auto& item : r->items) {
      for (const auto& c : item.pipeline.commands) {
        RC_ASSERT(c.span.begin <= c.span.end);
        RC_ASSERT(c.span.end <= text.size());
      }
    }
  }
}

}  // namespace
}  // namespace cmdai::shell
