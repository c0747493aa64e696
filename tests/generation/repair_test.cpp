// The repair path of parse_model_output and prompts per shell and userland.
#include <gtest/gtest.h>

#include "generation/output_parser.h"
#include "generation/prompt.h"

namespace cmdai::generation {
namespace {

TEST(Repair, StrictJsonTakesTheStrictRoute) {
  auto out = parse_model_output(R"({"command":"ls","explanation":"x"})");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->route, ParseRoute::strict_json);
}

TEST(Repair, CodeFenceAroundJson) {
  auto out = parse_model_output("```json\n{\"command\": \"du -sh .\", \"explanation\": \"size\"}\n```");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->command, "du -sh .");
  EXPECT_EQ(out->route, ParseRoute::repaired_json);
}

TEST(Repair, ProseAroundJson) {
  auto out = parse_model_output("Here you go: {\"command\": \"uptime\", \"explanation\": \"load\"} Hope it helps!");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->command, "uptime");
}

TEST(Repair, SingleQuotedJson) {
  auto out = parse_model_output("{'command': 'grep -r \"TODO\" .', 'explanation': 'finds TODOs'}");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->command, "grep -r \"TODO\" .");
  EXPECT_EQ(out->explanation, "finds TODOs");
}

TEST(Repair, BareCommandLine) {
  auto out = parse_model_output("find . -name '*.log' -mtime -1\n");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->command, "find . -name '*.log' -mtime -1");
  EXPECT_EQ(out->route, ParseRoute::bare_command);
  EXPECT_TRUE(out->explanation.empty());
}

TEST(Repair, BareCommandInAFence) {
  auto out = parse_model_output("```bash\nls -la /tmp\n```");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->command, "ls -la /tmp");
}

TEST(Repair, ShellPromptIsStripped) {
  auto out = parse_model_output("$ git log --oneline");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->command, "git log --oneline");
}

TEST(Repair, ProseIsRejected) {
  auto out = parse_model_output("I am sorry, I cannot help with that.");
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::model_output_invalid);
}

TEST(Repair, MultiLineBareTextIsRejected) { EXPECT_FALSE(parse_model_output("cd /tmp\nrm -rf build")); }

TEST(Repair, EmptyAnswerIsRejectedWithReason) {
  auto out = parse_model_output("   \n ");
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("nothing"), std::string::npos);
}

TEST(Repair, InvalidUtf8AndControlCharactersAreRejected) {
  EXPECT_FALSE(parse_model_output("ls \xff\xfe -la"));
  EXPECT_FALSE(parse_model_output(std::string("{\"command\": \"ls\\u0000x\"}")));
  EXPECT_FALSE(parse_model_output(std::string("ls\0 -la", 7)));
}

TEST(Repair, HugeInputGivesAnErrorNotACrash) {
  const std::string huge(1 << 20, '{');
  auto out = parse_model_output(huge);
  EXPECT_FALSE(out);
}

TEST(Prompt, NamesShellAndUserland) {
  const auto gnu = system_prompt(ShellType::bash, llm::Userland::gnu, "/srv");
  EXPECT_NE(gnu.find("bash"), std::string::npos);
  EXPECT_NE(gnu.find("GNU"), std::string::npos);
  EXPECT_NE(gnu.find("/srv"), std::string::npos);
  const auto bsd = system_prompt(ShellType::zsh, llm::Userland::bsd, "/Users/a");
  EXPECT_NE(bsd.find("zsh"), std::string::npos);
  EXPECT_NE(bsd.find("BSD"), std::string::npos);
  EXPECT_NE(system_prompt(ShellType::powershell, llm::Userland::gnu, "C:/").find("PowerShell"), std::string::npos);
  EXPECT_NE(system_prompt(ShellType::fish, llm::Userland::gnu, "/").find("fish"), std::string::npos);
  EXPECT_NE(system_prompt(ShellType::sh, llm::Userland::gnu, "/").find("POSIX sh"), std::string::npos);
}

TEST(Prompt, ExamplesFollowTheUserlandAndParse) {
  auto gnu = build_messages("x", ShellType::bash, llm::Userland::gnu, "/");
  auto bsd = build_messages("x", ShellType::bash, llm::Userland::bsd, "/");
  auto joined = [](const std::vector<llm::Message>& m) {
    std::string all;
    for (const auto& x : m) all += x.content + "\n";
    return all;
  };
  EXPECT_NE(joined(gnu).find("--max-depth=1"), std::string::npos);
  EXPECT_NE(joined(bsd).find("du -h -d 1"), std::string::npos);
  for (const auto& m : build_messages("x", ShellType::powershell, llm::Userland::gnu, "/")) {
    if (m.role == "assistant") {
      EXPECT_TRUE(parse_model_output(m.content)) << m.content;
    }
  }
  EXPECT_EQ(gnu.back().content, "x");
  EXPECT_EQ(gnu.front().role, "system");
}

}  // namespace
}  // namespace cmdai::generation
