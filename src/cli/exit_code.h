#pragma once
// Every exit status cmdai uses, in one place (listed by --help).

namespace cmdai::cli {

// [[nodiscard]]: a handler's status is returned or acted on, never dropped.
// (clang-format 14 cannot lay out an attribute on an enum.)
// clang-format off
enum class [[nodiscard]] ExitCode : int {
  ok = 0,
  failure = 1,      // a runtime error; the message says what happened
  no_match = 1,     // search or history list found nothing (as grep does)
  usage = 2,        // bad command line
  unavailable = 3,  // no backend could answer the request
  blocked = 4,      // the command's risk is above what may run here
  not_found = 5,    // e.g. a history id that does not exist
  // `cmdai guard AGENT`: the agent must not run the command (every agent's
  // hooks read status 2 as a block, with the reason on stderr).
  guard_block = 2,
  // `cmdai check`: one status per risk level (safe is ok).
  check_moderate = 11,
  check_high = 12,
  check_critical = 13,
  interrupted = 130,  // Ctrl-C
};
// clang-format on

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace cmdai::cli
