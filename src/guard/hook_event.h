#pragma once
// Reading an agent's pre-tool hook event (the JSON it writes on the hook's
// stdin) through its protocol row.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "guard/protocol.h"

namespace cmdai::guard {

struct HookEvent {
  bool is_shell = false;   // false: another tool; guard mode lets it pass untouched
  std::string tool_name;   // as the agent named it ("" for cursor's shell-only event)
  std::string command;     // the shell command (set when is_shell)
  std::string cwd;         // "" when the event has none
  std::string session_id;  // "" when the event has none
};

// Events larger than this are refused (a shell command of megabytes is not
// something an agent should run unread).
inline constexpr std::size_t k_max_event_bytes = 4 << 20;

// Errors (invalid_argument, each saying what was expected): not JSON, not an
// object, another event than the protocol's pre-tool event, a shell tool call
// without a string command (or with a blank one), or more than k_max_event_bytes.
Result<HookEvent> read_event(const Protocol& protocol, std::string_view text);

}  // namespace cmdai::guard
