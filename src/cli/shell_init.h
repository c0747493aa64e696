#pragma once
// The scripts `cmdai init bash|zsh|fish` prints. Each binds a key that
// replaces the command line with the command generated for the text on it
// (left there to edit, with its explanation and risk shown beside it; while
// cmdai works the request stays in view with its progress, and Ctrl-C
// leaves the request on the line; nothing runs until Enter; a command that needs more
// than Enter is only shown above the prompt, never put on the line, since no
// prefix is inert in every shell: zsh runs "# x; y" without
// INTERACTIVE_COMMENTS) and, when capture is on,
// records every command run at the prompt (cwd, exit status, duration) via
// the hidden `cmdai shell-record`. With ctrl_r, Ctrl-R opens `cmdai pick`
// with the line as its query: Enter runs the choice (the picker says "run"),
// Tab leaves it on the line, Esc gives the line back. With embed_agent,
// the embedding agent is kept loaded while the shell is in use.

#include <optional>
#include <string>
#include <string_view>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai::cli {

// "ctrl-g" or "alt-g" (a letter, case-insensitive).
struct KeyBinding {
  enum class Modifier { ctrl, alt };
  Modifier modifier = Modifier::ctrl;
  char letter = 'g';
};

// Errors: invalid_argument for anything but ctrl-<letter> / alt-<letter>.
Result<KeyBinding> parse_key_binding(std::string_view spec);

// The key as each shell's bind command spells it: bash "\C-g", zsh "^G",
// fish "\cg" (alt: "\eg", "^[g", "\eg").
std::string key_sequence(ShellType shell, KeyBinding key);

struct ShellInitOptions {
  ShellType shell = ShellType::bash;
  std::string binary;  // absolute path of cmdai, called by the script
  KeyBinding key;
  bool capture = false;      // history.capture_shell
  bool guard = false;        // shell.guard or --guard: check each command line on Enter (shell_guard_script.h)
  bool ctrl_r = false;       // shell.ctrl_r: Ctrl-R opens the history picker (cmdai pick)
  std::string session_id{};  // exported as CMDAI_SESSION_ID (letters, digits, '-'); "" for none
  // A local embedding model and search.embed_agent_idle > 0: before each
  // prompt the script starts the embedding agent in the background when no
  // agent listens (`cmdai embed-agent start`, never waited for, at most
  // once per idle time), or writes its activity file so it stays loaded:
  // a search in a shell in use finds the model loaded.
  struct EmbedAgent {
    std::string socket;    // semantic::agent_socket_path
    std::string activity;  // semantic::agent_activity_path
    int idle_seconds = 300;
  };
  std::optional<EmbedAgent> embed_agent{};
};

// Errors: invalid_argument for shells other than bash, zsh and fish.
Result<std::string> shell_init_script(const ShellInitOptions& options);

}  // namespace cmdai::cli
