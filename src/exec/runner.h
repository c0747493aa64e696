#pragma once
// Runs a command in the user's shell ($SHELL -c, or the given shell) and
// reports what happened: exit status, signal, wall time, output size.
//
// The child inherits stdin (so `cmdai -x 'wc -l' < file` works) and gets its
// own pipes for stdout and stderr, which run_command copies to the given
// descriptors as the bytes arrive (output is live, and counted). The child
// starts with an empty signal mask and default dispositions, whatever the
// caller blocked or ignored.
//
// Ctrl-C: while the child runs, SIGINT, SIGTERM and SIGQUIT are blocked in the
// calling thread and read from a signalfd. A signal that came from the
// terminal (the kernel sent it to the whole foreground process group, child
// included) is only noted; one sent to cmdai alone (kill) is forwarded to the
// child. Either way run_command waits for the child and reports its status.
// Other threads of the process must block those signals too (cli does).

#include <cstdint>
#include <optional>
#include <string>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai::exec {

struct RunOptions {
  std::string shell_path = "/bin/sh";  // run as: shell_path -c command
  std::string working_directory;       // empty: inherit
  int stdin_fd = 0;                    // handed to the child as its stdin
  int stdout_fd = 1;                   // where the child's stdout is copied
  int stderr_fd = 2;                   // where the child's stderr is copied
};

struct RunResult {
  int exit_code = 0;              // 128+N when the child died of signal N
  std::optional<int> signal;      // N when the child died of signal N
  bool interrupted = false;       // cmdai received SIGINT/SIGTERM/SIGQUIT while it ran
  Micros wall_time{0};            // spawn to exit
  std::uint64_t output_size = 0;  // bytes the child wrote to stdout and stderr
};

// Errors: not_found when the shell does not exist, io_error when it cannot be
// started (the message names it).
Result<RunResult> run_command(const std::string& command, const RunOptions& options);

// The program a name stands for: a name with a '/' as it is, else the first
// executable file of that name in env_path (default /usr/bin:/bin).
std::optional<std::string> find_executable(const std::string& name, const std::optional<std::string>& env_path);

// The shell to run commands with: an explicit path or name (--shell), else
// $SHELL, else /bin/sh. A bare name is looked up in PATH.
// Errors: not_found when the shell is not an executable file.
Result<std::string> resolve_shell(const std::optional<std::string>& requested,
                                  const std::optional<std::string>& env_shell,
                                  const std::optional<std::string>& env_path);

}  // namespace cmdai::exec
