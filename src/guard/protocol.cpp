#include "guard/protocol.h"

#include <nlohmann/json.hpp>

#include "core/entity_json.h"

namespace cmdai::guard {
namespace {

// Claude Code and Codex: {"hookSpecificOutput": {...}}.
std::string write_hook_specific(const Decision& d) {
  nlohmann::json inner{{"hookEventName", "PreToolUse"}, {"permissionDecision", to_string(d.verdict)}};
  if (d.verdict != Verdict::allow) inner["permissionDecisionReason"] = d.reason;
  return json_text(nlohmann::json{{"hookSpecificOutput", inner}});
}

// Gemini CLI: "reason" goes to the model, "systemMessage" to the person.
std::string write_gemini(const Decision& d) {
  nlohmann::json out{{"decision", to_string(d.verdict)}};
  if (d.verdict != Verdict::allow) {
    out["reason"] = d.reason;
    out["systemMessage"] = d.summary;
  }
  return json_text(out);
}

std::string write_cursor(const Decision& d) {
  nlohmann::json out{{"permission", to_string(d.verdict)}};
  if (d.verdict != Verdict::allow) {
    out["user_message"] = d.summary;
    out["agent_message"] = d.reason;
  }
  return json_text(out);
}

std::string write_copilot(const Decision& d) {
  nlohmann::json out{{"permissionDecision", to_string(d.verdict)}};
  if (d.verdict != Verdict::allow) out["permissionDecisionReason"] = d.reason;
  return json_text(out);
}

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
     write_hook_specific,
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
     write_gemini,
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
     write_cursor,
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
     write_copilot,
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
     write_hook_specific,
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

std::string agent_names() {
  std::string names;
  for (const auto& protocol : k_protocols) names += (names.empty() ? "" : ", ") + std::string(protocol.name);
  return names;
}

}  // namespace cmdai::guard
