#pragma once
// Hands text to another program on its stdin: the program runs directly (no
// shell), its output is discarded, and cmdai waits for it to exit. This is
// how the CLI gives a command to a clipboard tool (wl-copy, xclip, xsel).

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cmdai::exec {

// argv[0] is the program's path. A program that exits early (closing its
// stdin) never raises SIGPIPE in cmdai: the text is written over a socket
// with MSG_NOSIGNAL.
// Errors: io_error when it cannot be started or exits with a non-zero status
// (the message names the program and the status).
Result<void> pipe_to(const std::vector<std::string>& argv, std::string_view input);

}  // namespace cmdai::exec
