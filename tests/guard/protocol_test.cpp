// Each agent's recorded hook events (fixtures/AGENT.event.json: a realistic
// pre-tool event for `rm -rf ~`; AGENT.pass.json: one guard lets through) and
// the answers cmdai must give (AGENT.answer.json, with <reason> and
// <summary> standing for the decision's words).

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "guard/answer.h"
#include "guard/hook_event.h"
#include "guard/policy.h"
#include "safety/validator.h"

namespace cmdai::guard {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/tests/guard/fixtures/" + name);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

// The fixture's expected answer with the decision's words put in.
nlohmann::json expected_answer(const std::string& agent, const Decision& decision) {
  auto answer = nlohmann::json::parse(fixture(agent + ".answer.json"));
  std::function<void(nlohmann::json&)> fill = [&](nlohmann::json& node) {
    for (auto& [key, value] : node.items()) {
      if (value.is_object()) fill(value);
      if (value == "<reason>") value = decision.reason;
      if (value == "<summary>") value = decision.summary;
    }
  };
  fill(answer);
  return answer;
}

Decision decide_event(const Protocol& protocol, const HookEvent& event) {
  safety::ValidationContext context;
  context.working_directory = event.cwd;
  context.home_directory = "/home/u";
  Policy policy;
  if (!protocol.can_ask) policy.cannot_ask = std::string(protocol.display_name);
  policy.can_allow = protocol.can_allow;
  return decide(event.command, safety::Validator().validate(event.command, context), policy, {});
}

class RecordedEvents : public ::testing::TestWithParam<std::string> {};

TEST_P(RecordedEvents, CriticalCommandIsDeniedInTheAgentsFormat) {
  const Protocol* protocol = find_protocol(GetParam());
  ASSERT_NE(protocol, nullptr);
  auto event = read_event(*protocol, fixture(GetParam() + ".event.json"));
  ASSERT_TRUE(event) << event.error().describe();
  EXPECT_TRUE(event->is_shell);
  EXPECT_EQ(event->command, "rm -rf ~");
  EXPECT_EQ(event->cwd, "/home/u/project");
  const Decision decision = decide_event(*protocol, *event);
  EXPECT_EQ(decision.verdict, Verdict::deny);
  EXPECT_EQ(decision.level, RiskLevel::critical);
  ASSERT_FALSE(decision.rule_ids.empty());
  EXPECT_NE(decision.reason.find(decision.rule_ids.front()), std::string::npos) << decision.reason;
  EXPECT_NE(decision.reason.find("`rm -rf ~`"), std::string::npos) << decision.reason;
  const Answer answer = answer_for(*protocol, decision);
  EXPECT_EQ(answer.exit_code, 0);
  EXPECT_TRUE(answer.err.empty());
  EXPECT_EQ(nlohmann::json::parse(answer.out), expected_answer(GetParam(), decision));
}

TEST_P(RecordedEvents, WhatGuardDoesNotStopPassesUntouched) {
  const Protocol* protocol = find_protocol(GetParam());
  ASSERT_NE(protocol, nullptr);
  auto event = read_event(*protocol, fixture(GetParam() + ".pass.json"));
  ASSERT_TRUE(event) << event.error().describe();
  if (event->is_shell) {
    EXPECT_EQ(decide_event(*protocol, *event).verdict, Verdict::pass);
  }
  const Answer answer = answer_for(*protocol, Decision{});
  EXPECT_EQ(answer.exit_code, 0);
  // No decision: nothing, or an empty object where the agent wants JSON.
  EXPECT_TRUE(answer.out.empty() || nlohmann::json::parse(answer.out) == nlohmann::json::object()) << answer.out;
}

TEST_P(RecordedEvents, AFailureBlocksWithExitTwoAndTheReasonOnStderr) {
  const Protocol* protocol = find_protocol(GetParam());
  ASSERT_NE(protocol, nullptr);
  const Answer answer = block_answer(*protocol, "cmdai guard blocked this command because it broke");
  EXPECT_EQ(answer.exit_code, 2);
  EXPECT_EQ(answer.err, "cmdai guard blocked this command because it broke\n");
  const auto out = nlohmann::json::parse(answer.out);
  EXPECT_NE(out.dump().find("deny"), std::string::npos) << answer.out;
}

INSTANTIATE_TEST_SUITE_P(Agents, RecordedEvents,
                         ::testing::Values("claude-code", "gemini-cli", "cursor", "copilot-cli", "codex"));

TEST(Protocols, EveryAgentHasAFixtureAndAUniqueName) {
  std::set<std::string> names;
  for (const auto& protocol : protocols()) {
    EXPECT_TRUE(names.insert(std::string(protocol.name)).second) << protocol.name;
    EXPECT_FALSE(protocol.answer.decision_field.empty());
  }
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(find_protocol("claude"), nullptr);
}

TEST(Protocols, CodexCannotAskSoAHighCommandIsDeniedWithTheReason) {
  const Protocol* codex = find_protocol("codex");
  HookEvent event;
  event.command = "rm -rf ./build";
  event.cwd = "/home/u/project";
  const Decision decision = decide_event(*codex, event);
  EXPECT_EQ(decision.level, RiskLevel::high);
  EXPECT_EQ(decision.verdict, Verdict::deny);
  EXPECT_NE(decision.reason.find("Codex hooks cannot ask"), std::string::npos) << decision.reason;
  const Decision claude = decide_event(*find_protocol("claude-code"), event);
  EXPECT_EQ(claude.verdict, Verdict::ask);
}

TEST(Protocols, CodexNeverSaysAllowOutLoud) {
  const Protocol* codex = find_protocol("codex");
  Policy policy;
  policy.by_level[0] = Verdict::allow;
  policy.can_allow = codex->can_allow;
  const Decision decision = decide("ls", safety::Validator().validate("ls", {}), policy, {});
  EXPECT_EQ(decision.verdict, Verdict::pass);
  EXPECT_TRUE(answer_for(*codex, decision).out.empty());
}

}  // namespace
}  // namespace cmdai::guard
