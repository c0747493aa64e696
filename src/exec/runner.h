#pragma once
// Runs a command in the user's shell ($SHELL -c, or the given shell), with the
// child's output going straight to the terminal, and reports what happened.

#include <string>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai::exec {

struct RunOptions {
  std::string shell_path = "/bin/sh";
  std::string working_directory;  // empty: inherit
};

struct RunResult {
  int exit_code = 0;  // 128+N when the child died of signal N
  Micros wall_time{0};
  std::uint64_t output_size = 0;  // bytes the child wrote to stdout and stderr
};

// Errors: io_error when the shell cannot be started.
Result<RunResult> run_command(const std::string& command, const RunOptions& options);

}  // namespace cmdai::exec
