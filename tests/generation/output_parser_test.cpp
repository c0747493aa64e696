#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "generation/output_parser.h"
#include "generation/streaming_generator.h"
#include "llm/rules/rules_backend.h"

namespace cmdai::generation {
namespace {

TEST(OutputParser, AcceptsStrictJson) {
  auto out = parse_model_output(R"({"command": "ls -la", "explanation": "lists"})");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->command, "ls -la");
  EXPECT_EQ(out->explanation, "lists");
}

TEST(OutputParser, RepairsProseAndFencesAround) {
  auto out = parse_model_output("Sure!\n```json\n{\"command\": \"df -h\", \"explanation\": \"disk\"}\n```");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->command, "df -h");
}

TEST(OutputParser, RejectsEmptyMultiLineAndMissing) {
  EXPECT_EQ(parse_model_output(R"({"command": "  "})").error().code, ErrorCode::model_output_invalid);
  EXPECT_FALSE(parse_model_output(R"({"command": "a\nb"})").has_value());
  EXPECT_FALSE(parse_model_output(R"({"cmd": "ls"})").has_value());
  EXPECT_FALSE(parse_model_output("no json here").has_value());
}

TEST(OutputParser, OverLongCommandIsRejectedAndExplanationCut) {
  const std::string long_command = "echo " + std::string(k_max_command_bytes, 'a');
  auto rejected = parse_model_output(nlohmann::json{{"command", long_command}, {"explanation", "x"}}.dump());
  ASSERT_FALSE(rejected.has_value());
  EXPECT_NE(rejected.error().message.find("bytes (cmdai takes up to 4096)"), std::string::npos);
  std::string explanation;
  while (explanation.size() < 3 * k_max_explanation_bytes) explanation += "caf\xc3\xa9 ";
  auto cut = parse_model_output(nlohmann::json{{"command", "ls"}, {"explanation", explanation}}.dump());
  ASSERT_TRUE(cut.has_value());
  EXPECT_LE(cut->explanation.size(), k_max_explanation_bytes);
  EXPECT_TRUE(cut->explanation.ends_with("...")) << cut->explanation;
  EXPECT_EQ(cut->explanation.find("\xef\xbf\xbd"), std::string::npos);
}

TEST(PartialCommand, DecodesAsFarAsItGoes) {
  EXPECT_EQ(partial_command(R"({"command": "find . -na)"), "find . -na");
  EXPECT_EQ(partial_command(R"({"command": "echo \"hi\"", "expl)"), "echo \"hi\"");
  EXPECT_EQ(partial_command(R"({"expl)"), "");
}

TEST(StreamingGenerator, EmitsProgressPartialAndCompleted) {
  llm::RulesBackend backend;
  StreamingGenerator generator(backend);
  std::vector<std::size_t> kinds;
  auto result = generator.generate({"show git status", ShellType::bash, llm::Userland::gnu, "/tmp"},
                                   [&](const StreamEvent& e) { kinds.push_back(e.index()); }, {});
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->command, "git status");
  ASSERT_GE(kinds.size(), 3u);
  EXPECT_EQ(kinds.front(), 0u);  // Progress
  EXPECT_EQ(kinds.back(), 2u);   // Completed
}

TEST(StreamingGenerator, ReportsCancellation) {
  llm::RulesBackend backend;
  StreamingGenerator generator(backend);
  std::stop_source stop;
  stop.request_stop();
  bool cancelled = false;
  auto result = generator.generate(
      {"show git status", ShellType::bash, llm::Userland::gnu, "/tmp"},
      [&](const StreamEvent& e) { cancelled |= e.index() == 4; }, stop.get_token());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::cancelled);
  EXPECT_TRUE(cancelled);
}

}  // namespace
}  // namespace cmdai::generation
