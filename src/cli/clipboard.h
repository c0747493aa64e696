#pragma once
// --copy: the command onto the clipboard. On a terminal cmdai writes the
// OSC 52 sequence, which the terminal turns into a clipboard write (it
// travels through ssh, and through tmux with `set -g set-clipboard on`);
// without one it hands the text to the first clipboard tool found on PATH:
// wl-copy, xclip, xsel.

#include <string>
#include <string_view>

#include "core/env.h"
#include "core/error.h"

namespace cmdai::cli {

// ESC ] 52 ; c ; <base64 of text> BEL.
std::string osc52_sequence(std::string_view text);

// Copies text; returns how, in words ("the terminal (OSC 52)", "xclip").
// terminal_fd is the descriptor of a terminal to write OSC 52 to, or -1.
// Errors: unavailable when there is no terminal and no tool, or every tool
// found failed (the message says which and why).
Result<std::string> copy_to_clipboard(const Env& env, std::string_view text, int terminal_fd);

}  // namespace cmdai::cli
