// Events cmdai cannot take at their word are errors (the hook then blocks):
// every malformed shape gets a message saying what was expected.

#include "guard/hook_event.h"

#include <gtest/gtest.h>

namespace cmdai::guard {
namespace {

const Protocol& claude() { return *find_protocol("claude-code"); }
const Protocol& copilot() { return *find_protocol("copilot-cli"); }

std::string error_of(const Protocol& protocol, std::string_view text) {
  auto event = read_event(protocol, text);
  EXPECT_FALSE(event) << "accepted: " << text;
  return event ? std::string() : event.error().describe();
}

TEST(HookEvent, MalformedJsonIsAnError) {
  EXPECT_NE(error_of(claude(), "{\"tool_name\": \"Bash\", ").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(claude(), "").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(claude(), "[1, 2]").find("not a JSON object"), std::string::npos);
}

TEST(HookEvent, AnotherEventThanThePreToolEventIsAnError) {
  const auto message = error_of(claude(), R"({"hook_event_name": "PostToolUse", "tool_name": "Bash",
                                              "tool_input": {"command": "ls"}})");
  EXPECT_NE(message.find("'PostToolUse', not PreToolUse"), std::string::npos) << message;
  EXPECT_NE(error_of(claude(), R"({"tool_name": "Bash", "tool_input": {"command": "ls"}})").find("not PreToolUse"),
            std::string::npos);
}

TEST(HookEvent, AShellCallWithoutAStringCommandIsAnError) {
  EXPECT_NE(error_of(claude(), R"({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {}})")
                .find("no shell command"),
            std::string::npos);
  EXPECT_NE(error_of(claude(), R"({"hook_event_name": "PreToolUse", "tool_name": "Bash",
                                  "tool_input": {"command": ["rm", "-rf", "/"]}})")
                .find("'command' that is not a string"),
            std::string::npos);
  EXPECT_NE(error_of(claude(), R"({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": "rm -rf /"})")
                .find("not an object"),
            std::string::npos);
  EXPECT_NE(
      error_of(claude(), R"({"hook_event_name": "PreToolUse", "tool_input": {"command": "ls"}})").find("names no tool"),
      std::string::npos);
}

TEST(HookEvent, OtherToolsAreNotLookedInto) {
  auto event = read_event(claude(), R"({"hook_event_name": "PreToolUse", "tool_name": "Read", "tool_input": 7,
                                        "session_id": "s1", "cwd": "/p"})");
  ASSERT_TRUE(event) << event.error().describe();
  EXPECT_FALSE(event->is_shell);
  EXPECT_EQ(event->tool_name, "Read");
  EXPECT_EQ(event->session_id, "s1");
}

TEST(HookEvent, CopilotArgumentsComeAsJsonTextOrAsAnObject) {
  auto text = read_event(copilot(), R"({"cwd": "/p", "toolName": "bash", "toolArgs": "{\"command\": \"ls -l\"}"})");
  ASSERT_TRUE(text) << text.error().describe();
  EXPECT_EQ(text->command, "ls -l");
  auto object = read_event(copilot(), R"({"cwd": "/p", "toolName": "bash", "toolArgs": {"command": "pwd"}})");
  ASSERT_TRUE(object) << object.error().describe();
  EXPECT_EQ(object->command, "pwd");
  EXPECT_NE(error_of(copilot(), R"({"toolName": "bash", "toolArgs": "{\"command\": "})").find("text that is not JSON"),
            std::string::npos);
}

TEST(HookEvent, AnOversizedEventIsRefused) {
  const std::string huge = R"({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": ")" +
                           std::string(k_max_event_bytes, 'a') + "\"}}";
  EXPECT_NE(error_of(claude(), huge).find("more than cmdai reads"), std::string::npos);
}

TEST(HookEvent, DeeplyNestedInputIsAnErrorNotACrash) {
  const std::string nested = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(read_event(claude(), nested));
}

TEST(HookEvent, NonUtf8BytesAreAnError) {
  EXPECT_FALSE(read_event(claude(),
                          "{\"hook_event_name\": \"PreToolUse\", \"tool_name\": \"Bash\", "
                          "\"tool_input\": {\"command\": \"rm \xff\"}}"));
}

}  // namespace
}  // namespace cmdai::guard
