#pragma once
// The hook protocols of the coding agents guard mode sits in front of, as
// data: one row per agent saying where its pre-tool event keeps the tool
// name, the shell command, the working directory and the session, and how
// the agent reads an answer. Checked against each agent's documentation:
//
//   claude-code  PreToolUse; tool_name "Bash", tool_input.command, cwd, session_id;
//                answer hookSpecificOutput.permissionDecision allow|ask|deny.
//   codex        PreToolUse, the same shape as claude-code; Codex rejects
//                "allow" and "ask" (a rejected answer lets the tool run), so
//                an allow is silence and an ask is a deny.
//   gemini-cli   BeforeTool; tool_name "run_shell_command", tool_input.command;
//                answer {"decision": allow|ask|deny, "reason", "systemMessage"}.
//   cursor       beforeShellExecution; command and cwd at the top level,
//                conversation_id; answer {"permission", "user_message",
//                "agent_message"}. Not every Cursor run mode honours "ask".
//   copilot-cli  preToolUse; toolName "bash", toolArgs (a JSON document in a
//                string) with "command", cwd; answer {"permissionDecision",
//                "permissionDecisionReason"}.
//
// Every agent blocks on exit status 2 with the reason on stderr; a failure
// inside cmdai answers that way (answer.h).

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "guard/verdict.h"

namespace cmdai::guard {

// What cmdai writes back: the exit status, stdout and stderr.
struct Answer {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// Where an agent reads a decision (other than pass) in the JSON it expects.
struct AnswerShape {
  std::string_view wrapper;         // "hookSpecificOutput" (then also naming the event), "" for the top level
  std::string_view decision_field;  // allow | ask | deny
  std::string_view reason_field;    // the reason, for the agent (omitted for allow)
  std::string_view summary_field;   // one line for the person; "" when the agent has no such field
};

struct Protocol {
  std::string_view name;                        // the word after `cmdai guard`: "claude-code"
  std::string_view display_name;                // "Claude Code"
  std::string_view event_field;                 // where the event names itself; "" when it does not
  std::string_view event_name;                  // the pre-tool event: "PreToolUse"
  std::string_view tool_field;                  // "" when every event of this kind is a shell command
  std::array<std::string_view, 2> shell_tools;  // tool names that run shell commands ("" unused)
  std::string_view args_field;                  // object holding the command; "" for the top level
  bool args_may_be_text = false;                // the arguments may come as JSON text in a string
  std::string_view command_field;               // "command"
  std::string_view cwd_field;                   // "cwd"
  std::string_view session_field;               // "session_id", "conversation_id" ...; "" for none
  std::string_view pass_output;                 // what "no decision" prints ("" or "{}")
  AnswerShape answer;
  bool can_ask = true;    // false: an ask becomes a deny (the command must not run unasked)
  bool can_allow = true;  // false: an allow becomes a pass
};

std::span<const Protocol> protocols();

// nullptr for an unknown name.
const Protocol* find_protocol(std::string_view name);

// A decision other than pass in the agent's format (stdout JSON).
std::string write_answer(const Protocol& protocol, const Decision& decision);

// The agent names, for help and "did you mean".
std::string agent_names();

}  // namespace cmdai::guard
