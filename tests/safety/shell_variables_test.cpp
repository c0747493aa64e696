// Static resolution of variables: what a command word or target holds when
// the script itself set it, and what stays unknown.

#include <gtest/gtest.h>

#include "safety/shell_variables.h"
#include "safety/validator.h"
#include "shell/parser.h"

namespace cmdai::safety {
namespace {

ValidationContext project() {
  ValidationContext context;
  context.working_directory = "/home/u/project";
  context.home_directory = "/home/u";
  return context;
}

shell::Word word_of(const std::string& text) {
  auto script = shell::parse("x " + text);
  EXPECT_TRUE(script) << text;
  return script->items[0].pipeline.commands[0].words[1];
}

std::vector<std::string> fields(const ShellVariables& vars, const std::string& text) {
  return vars.expand(word_of(text), {}).fields;
}

TEST(ShellVariables, ExpandsWhatTheScriptSet) {
  ShellVariables vars(project());
  vars.set("R", {"r"});
  vars.set("M", {"m"});
  vars.set("a", {"rm", "-rf", "/"});
  vars.set("v", {"R"});
  EXPECT_EQ(fields(vars, "$R$M"), (std::vector<std::string>{"rm"}));
  EXPECT_EQ(fields(vars, "\"${a[@]}\""), (std::vector<std::string>{"rm", "-rf", "/"}));
  EXPECT_EQ(fields(vars, "${a[1]}"), (std::vector<std::string>{"-rf"}));
  EXPECT_EQ(fields(vars, "${!v}"), (std::vector<std::string>{"r"}));
  EXPECT_EQ(fields(vars, "\"$HOME/x\""), (std::vector<std::string>{"/home/u/x"}));
  EXPECT_EQ(fields(vars, "${UNSET:-/}"), (std::vector<std::string>{"/"}));
}

TEST(ShellVariables, UnquotedValuesSplitOnIfs) {
  ShellVariables vars(project());
  vars.set("s", {"rm,-rf,/"});
  EXPECT_EQ(fields(vars, "$s"), (std::vector<std::string>{"rm,-rf,/"}));
  vars.set("IFS", {","});
  EXPECT_EQ(fields(vars, "$s"), (std::vector<std::string>{"rm", "-rf", "/"}));
  EXPECT_EQ(fields(vars, "\"$s\""), (std::vector<std::string>{"rm,-rf,/"}));
}

TEST(ShellVariables, UnknownIsIncompleteAndReadsAsEmpty) {
  ShellVariables vars(project());
  const auto e = vars.expand(word_of("\"$DIR/\""), {});
  EXPECT_FALSE(e.complete);
  EXPECT_EQ(e.fields, (std::vector<std::string>{"/"}));
  vars.set_unknown("c", true);
  const auto hidden = vars.expand(word_of("$c"), {});
  EXPECT_FALSE(hidden.complete);
  EXPECT_TRUE(hidden.hidden);
}

TEST(ShellVariables, SubstitutionOutputsFillTheWord) {
  ShellVariables vars(project());
  const SubstitutionOutput known{std::string("rm"), false};
  EXPECT_EQ(vars.expand(word_of("$(echo rm)"), std::span(&known, 1)).fields, (std::vector<std::string>{"rm"}));
  const SubstitutionOutput hidden{std::nullopt, true};
  const auto e = vars.expand(word_of("/boot/vmlinuz-$(uname -r)"), std::span(&hidden, 1));
  EXPECT_FALSE(e.complete);
  EXPECT_TRUE(e.hidden);
  EXPECT_EQ(e.fields.front(), "/boot/vmlinuz-$(uname -r)");
}

TEST(ShellVariables, AssignmentsDefaultsAndArrays) {
  ShellVariables vars(project());
  auto script = shell::parse("T=~; a=(ls -la); P+=x");
  ASSERT_TRUE(script);
  for (const auto& item : script->items) vars.assign(item.pipeline.commands[0].assignments[0], {});
  EXPECT_EQ(fields(vars, "\"$T\""), (std::vector<std::string>{"~"}));
  EXPECT_EQ(fields(vars, "\"${a[@]}\""), (std::vector<std::string>{"ls", "-la"}));
  vars.assign_defaults(word_of("${D:=/}"));
  EXPECT_EQ(fields(vars, "$D"), (std::vector<std::string>{"/"}));
}

TEST(ShellVariables, RendersPrintfFormats) {
  const std::vector<std::string> args{"rm", "x"};
  EXPECT_EQ(render_printf("%s", args), "rmx");
  EXPECT_EQ(render_printf("\\x72\\x6d", {}), "rm");
  EXPECT_EQ(render_printf("\\162\\155 %%", {}), "rm %");
  EXPECT_FALSE(render_printf("%5.2f", args));
}

// The evasions the validator resolves, end to end.
TEST(ShellVariables, RuntimeBuiltCommandsAreRatedAsWhatTheyRun) {
  const Validator validator;
  for (const char* command :
       {"R=r;M=m;$R$M -rf /", "IFS=,; s=rm,-rf,/; set -- $s; \"$@\"", "printf -v c '%s' rm; $c -rf ~/",
        "read -r c <<< rm; $c -rf /", "declare c=rm; $c -rf /", "a=(rm -rf /); \"${a[@]}\"", "v=c; c=rm; ${!v} -rf ~",
        "f=$(printf '\\x72\\x6d'); $f -rf /home/u", "d=/; rm -rf $d", "for d in / ~; do rm -rf \"$d\"; done",
        "dir=${1:-/}; rm -rf \"$dir\"", ": ${D:=/}; rm -rf $D", "cmd=\"rm -rf $HOME\"; eval \"$cmd\""}) {
    EXPECT_EQ(validator.validate(command, project()).risk_level, RiskLevel::critical) << command;
  }
  EXPECT_EQ(validator.validate("a=(ls -la); \"${a[@]}\"", project()).risk_level, RiskLevel::safe);
  EXPECT_EQ(validator.validate("c=ls; $c -la", project()).risk_level, RiskLevel::safe);
}

TEST(ShellVariables, UnresolvedCommandWordsAreNeverSafe) {
  const Validator validator;
  EXPECT_EQ(validator.validate("c=$(cat cmd.txt); $c", project()).risk_level, RiskLevel::high);
  EXPECT_EQ(validator.validate("x=$(echo ZGYgLWgK | base64 -d); $x", project()).risk_level, RiskLevel::high);
  EXPECT_EQ(validator.validate("cmd=$(which git); $cmd status", project()).risk_level, RiskLevel::moderate);
  EXPECT_EQ(validator.validate("$TOOL -rf ~/src", project()).risk_level, RiskLevel::high);
}

// A function that runs "$@" is a wrapper: defining it runs nothing, calling
// it runs its arguments.
TEST(ShellVariables, FunctionsRunningTheirArgumentsAreRatedWhereCalled) {
  const Validator validator;
  EXPECT_EQ(validator.validate("retry() { \"$@\" || retry \"$@\"; }", project()).risk_level, RiskLevel::safe);
  EXPECT_EQ(validator.validate("f() { \"$@\"; }; f rm -rf /", project()).risk_level, RiskLevel::critical);
  EXPECT_EQ(validator.validate("g() { $1 -rf ~; }; g rm", project()).risk_level, RiskLevel::high);
  EXPECT_EQ(validator.validate("f() { \"$@\"; }; f ls -la", project()).risk_level, RiskLevel::safe);
}

}  // namespace
}  // namespace cmdai::safety
