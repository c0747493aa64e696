#include "eval/runner.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

namespace cmdai::eval {

std::vector<RowResult> run_rows(const EvalSet& set, std::size_t jobs, const GenerateFn& generate,
                                std::stop_token stop) {
  std::vector<std::optional<RowResult>> slots(set.rows.size());
  std::atomic<std::size_t> next{0};
  auto work = [&](std::size_t worker) {
    for (std::size_t i = next++; i < set.rows.size() && !stop.stop_requested(); i = next++) {
      slots[i] = score_row(set.rows[i], generate(set.rows[i], worker));
    }
  };
  {
    std::vector<std::jthread> workers;
    const std::size_t count = std::clamp<std::size_t>(jobs, 1, std::max<std::size_t>(set.rows.size(), 1));
    for (std::size_t w = 1; w < count; ++w) workers.emplace_back(work, w);
    work(0);
  }
  std::vector<RowResult> results;
  for (auto& slot : slots) {
    if (slot) results.push_back(std::move(*slot));
  }
  return results;
}

}  // namespace cmdai::eval
