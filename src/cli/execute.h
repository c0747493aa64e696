#pragma once
// After a command is shown: decide (confirm.h), ask if needed, run it in the
// user's shell, and record what happened on its history entry. Shared by
// `cmdai -x "REQUEST"`, `cmdai --dry-run "REQUEST"`, `cmdai run -- COMMAND`
// and `cmdai history replay ID`.

#include <optional>
#include <string>

#include "cli/confirm.h"
#include "cli/invocation.h"
#include "config/configuration.h"
#include "core/entities.h"

namespace cmdai::history {
class HistoryStore;
}

namespace cmdai::cli {

struct ExecutionRequest {
  Candidate candidate;
  std::optional<std::string> history_id;  // the entry to record the run on
  std::optional<std::string> user_input;  // for the entry of an edited command
  ShellType shell = ShellType::bash;
  std::string working_directory;
  std::string backend_used;
  Micros generation_time{0};
  Micros validation_time{0};
  // Where to record the run; null: the history database is opened (with the
  // configured options) only when there is something to record.
  history::HistoryStore* history = nullptr;
};

enum class RunMode { execute, dry_run };

// What happened, for --json output.
struct ExecutionReport {
  Decision decision;
  bool ran = false;
  bool user_confirmed = false;
  std::string command;  // what ran (or would run)
  std::optional<ExecutionMetadata> metadata;
};

// Returns the exit code for cmdai: the command's own exit status when it
// ran (128+N when it died of signal N), blocked (4) when policy or a missing
// terminal stopped it, failure (1) when the user declined, ok for copy and
// for a dry run that would be allowed to proceed.
ExitCode confirm_and_run(Invocation& invocation, const config::ConfigurationState& config, ExecutionRequest request,
                         RunMode mode, ExecutionReport& report);

}  // namespace cmdai::cli
