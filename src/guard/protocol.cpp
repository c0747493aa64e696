#include "guard/protocol.h"

#include <nlohmann/json.hpp>

#include "core/entity_json.h"

namespace cmdai::guard {
namespace {

constexpr std::array<Protocol, 5> k_protocols{{
    {"claude-code",
     "Claude Code",
     "hook_event_name",
     "PreToolUse",
     "tool_name",
     {"Bash", ""},
     "tool_input",
     false,
     "command",
     "cwd",
     "session_id",
     "",
     {"hookSpecificOutput", "permissionDecision", "permissionDecisionReason", ""},
     true,
     true},
    {"gemini-cli",
     "Gemini CLI",
     "hook_event_name",
     "BeforeTool",
     "tool_name",
     {"run_shell_command", ""},
     "tool_input",
     false,
     "command",
     "cwd",
     "session_id",
     "{}",
     {"", "decision", "reason", "systemMessage"},
     true,
     true},
    {"cursor",
     "Cursor",
     "hook_event_name",
     "beforeShellExecution",
     "",
     {"", ""},
     "",
     false,
     "command",
     "cwd",
     "conversation_id",
     "{}",
     {"", "permission", "agent_message", "user_message"},
     true,
     true},
    {"copilot-cli",
     "GitHub Copilot CLI",
     "",
     "preToolUse",
     "toolName",
     {"bash", ""},
     "toolArgs",
     true,
     "command",
     "cwd",
     "sessionId",
     "",
     {"", "permissionDecision", "permissionDecisionReason", ""},
     true,
     true},
    {"codex",
     "Codex",
     "hook_event_name",
     "PreToolUse",
     "tool_name",
     {"Bash", ""},
     "tool_input",
     false,
     "command",
     "cwd",
     "session_id",
     "",
     {"hookSpecificOutput", "permissionDecision", "permissionDecisionReason", ""},
     false,
     false},
}};

}  // namespace

std::span<const Protocol> protocols() { return k_protocols; }

const Protocol* find_protocol(std::string_view name) {
  for (const auto& protocol : k_protocols) {
    if (protocol.name == name) return &protocol;
  }
  return nullptr;
}

std::string write_answer(const Protocol& protocol, const Decision& decision) {
  const AnswerShape& shape = protocol.answer;
  nlohmann::json fields;
  if (!shape.wrapper.empty()) fields["hookEventName"] = protocol.event_name;
  fields[std::string(shape.decision_field)] = to_string(decision.verdict);
  if (decision.verdict != Verdict::allow) {
    fields[std::string(shape.reason_field)] = decision.reason;
    if (!shape.summary_field.empty()) fields[std::string(shape.summary_field)] = decision.summary;
  }
  if (shape.wrapper.empty()) return json_text(fields);
  return json_text(nlohmann::json{{std::string(shape.wrapper), fields}});
}

std::string agent_names() {
  std::string names;
  for (const auto& protocol : k_protocols) names += (names.empty() ? "" : ", ") + std::string(protocol.name);
  return names;
}

}  // namespace cmdai::guard
