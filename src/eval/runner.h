#pragma once
// Runs every row of an evaluation set through a generate callback on N
// worker threads (std::jthread, joined before run_rows returns) and scores
// each answer. The callback decides how a request is answered; eval itself
// knows no backend.

#include <cstddef>
#include <functional>
#include <stop_token>
#include <vector>

#include "eval/eval_set.h"
#include "eval/scoring.h"

namespace cmdai::eval {

// Answers one row on worker `worker` (0 .. jobs-1). Calls with the same
// worker index never overlap, so a worker may own state (a pipeline) that
// is not thread-safe; calls with different indexes run concurrently.
using GenerateFn = std::function<Generated(const EvalRow& row, std::size_t worker)>;

// One result per row, in the set's order. Once stop is requested no new row
// starts; the rows not run are left out of the results.
std::vector<RowResult> run_rows(const EvalSet& set, std::size_t jobs, const GenerateFn& generate, std::stop_token stop);

}  // namespace cmdai::eval
