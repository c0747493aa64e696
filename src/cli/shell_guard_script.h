#pragma once
// The shell guard part of `cmdai init bash|zsh|fish --guard` (or
// shell.guard = true): Enter first asks the hidden `cmdai shell-guard` about
// the command line. Exit status 0: the line runs at once. Anything else: the
// reason is shown and the line runs only on "y"; otherwise it stays on the
// prompt, unrun.
//
//   bash  Enter is a macro: a `bind -x` check, then a key the check has just
//         bound to accept-line (run) or to redraw-current-line (stay).
//   zsh   an accept-line widget that calls the original .accept-line.
//   fish  a binding on Enter that runs `commandline -f execute` or not.

#include <string>

#include "core/entities.h"

namespace cmdai::cli {

// "" for shells without one. The script calls the function __cmdai, which
// the integration script defines.
std::string shell_guard_script(ShellType shell);

}  // namespace cmdai::cli
