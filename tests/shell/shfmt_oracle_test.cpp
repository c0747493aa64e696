// Cross-checks the parser against shfmt (mvdan/sh) as an oracle: both must
// find the same simple commands at the same byte offsets, including those
// inside substitutions, groups, subshells, functions and compound commands.
// Skipped when shfmt is not installed.

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "shell/parser.h"
#include "support/process.h"

namespace cmdai::shell {
namespace {

void oracle_offsets(const nlohmann::json& node, std::vector<std::size_t>& out) {
  if (node.is_object()) {
    if (node.value("Type", "") == "CallExpr") out.push_back(node["Pos"]["Offset"].get<std::size_t>());
    for (const auto& [key, value] : node.items()) oracle_offsets(value, out);
  } else if (node.is_array()) {
    for (const auto& value : node) oracle_offsets(value, out);
  }
}

void our_offsets(const Script& script, std::vector<std::size_t>& out);

void word_offsets(const Word& w, std::vector<std::size_t>& out) {
  for (const auto& s : w.substitutions) our_offsets(s.body.front(), out);
}

void our_offsets(const Script& script, std::vector<std::size_t>& out) {
  for (const auto& item : script.items) {
    for (const auto& c : item.pipeline.commands) {
      if (c.kind == CommandKind::simple && (!c.words.empty() || !c.assignments.empty())) out.push_back(c.span.begin);
      for (const auto& w : c.assignments) word_offsets(w, out);
      for (const auto& w : c.words) word_offsets(w, out);
      for (const auto& r : c.redirects) word_offsets(r.target, out);
      for (const auto& b : c.body) our_offsets(b, out);
    }
  }
}

TEST(ShfmtOracle, SameSimpleCommandsAtTheSameOffsets) {
  if (::access("/usr/bin/shfmt", X_OK) != 0) GTEST_SKIP() << "shfmt is not installed";
  const char* const k_cases[] = {
      "ls -la",
      "a | b |& c && d || e; f & g\nh",
      "A=1 B=\"x y\" cmd arg 2>&1 >>out # comment",
      "echo $(rm -rf \"$(echo /)\") <(cat x) >(tee y)",
      "(cd /tmp && rm x) > log; { ls; pwd; }",
      ":(){ :|:& };:",
      "f() { echo a | wc -l; }; f",
      "if true; then rm a; elif x; then y; else rm b; fi",
      "while read l; do echo \"$l\"; done < f > g",
      "until false; do sleep 1; done",
      "case $x in a|b) rm -rf a;; *) echo no;; esac",
      "cat <<EOF | sh\nrm -rf /\nEOF\necho after",
      "bash <<< 'id'; X=1",
      "echo $'a\\tb' \"${HOME:-/}\" ${#x} $((1 + 2))",
      "r\\m -rf /; ''rm -r\"f\" /",
      "! grep -q x f && echo missing",
      "x=$(ls | head -1) && echo \"$x\"",
      "sudo env X=1 nice -n 5 rm -rf / &",
      "find . -name '*.o' -exec rm {} \\; ; echo done",
      "echo a\\\nb; ls",
  };
  for (const char* text : k_cases) {
    const auto oracle = testing::run_process({"/usr/bin/shfmt", "--to-json"}, {}, text);
    ASSERT_EQ(oracle.exit_code, 0) << text << ": " << oracle.err;
    std::vector<std::size_t> expected, got;
    oracle_offsets(nlohmann::json::parse(oracle.out), expected);
    auto script = parse(text);
    ASSERT_TRUE(script) << text << ": " << script.error().message;
    our_offsets(*script, got);
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected) << text;
  }
}

TEST(ShfmtOracle, RejectsWhatShfmtRejects) {
  if (::access("/usr/bin/shfmt", X_OK) != 0) GTEST_SKIP() << "shfmt is not installed";
  for (const char* text : {"echo 'x", "ls |", "(ls", "ls )", "echo $(ls", "&& ls", "a &&", "{ ls; "}) {
    const auto oracle = testing::run_process({"/usr/bin/shfmt", "--to-json"}, {}, text);
    EXPECT_NE(oracle.exit_code, 0) << text;
    EXPECT_FALSE(parse(text)) << text;
  }
}

}  // namespace
}  // namespace cmdai::shell
