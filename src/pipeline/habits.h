#pragma once
// What the user's own history says about the programs a command runs: which
// of them appear there at all, and which have mostly failed. The validator
// explains a never-seen destructive program as such (safety never reads the
// history store itself; the pipeline asks here and passes the answer on).

#include <string>
#include <vector>

#include "core/error.h"
#include "history/history_store.h"
#include "safety/validator.h"

namespace cmdai::pipeline {

// `programs` are those the validator found in the command
// (ValidationResult::programs: wrappers and inline code followed), so the
// command is not parsed again here. One indexed FTS5 lookup per program (bounded by `programs.size()`), and one
// look at the exit codes of its most recent recorded runs.
Result<safety::HabitHints> habit_hints(history::HistoryStore& store, const std::vector<std::string>& programs);

}  // namespace cmdai::pipeline
