#pragma once
// Verdicts and scores of an evaluation run. A row is correct when a command
// came back and its accept_regex matches it (surrounding blanks stripped),
// wrong when a command came back that does not match, refused when none did.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "eval/eval_set.h"

namespace cmdai::eval {

enum class Verdict { correct, wrong, refused };
std::string_view to_string(Verdict verdict);

// What generating one row's request gave.
struct Generated {
  std::optional<std::string> command;  // nullopt: no command
  RiskLevel risk_level = RiskLevel::safe;
  std::string backend_used;
  std::string note;                     // why there is no command (the backend's error), or ""
  std::vector<std::string> unverified;  // ValidationResult::unverified of the command
  Micros latency{0};                    // the whole request: generation and validation
};

struct RowResult {
  const EvalRow* row = nullptr;
  Generated generated;
  Verdict verdict = Verdict::refused;
  // Correct, but rated below the row's min_risk: a destructive command the
  // user would not be warned about.
  bool under_flagged = false;
  std::string match_error;  // PCRE2 gave up on this command (the row counts as wrong)
};

// The verdict for one row.
RowResult score_row(const EvalRow& row, Generated generated);

struct Tally {
  std::size_t total = 0;
  std::size_t correct = 0;
  std::size_t wrong = 0;
  std::size_t refused = 0;
  void add(Verdict verdict);
  double share(std::size_t part) const { return total == 0 ? 0.0 : static_cast<double>(part) / total; }
};

struct Summary {
  Tally all;
  std::map<std::string, Tally> categories;  // by category; "" when the set has none
  std::size_t dangerous = 0;                // rows with a min_risk
  std::size_t dangerous_correct = 0;        // of those, answered correctly
  std::size_t under_flagged = 0;            // of those, rated below their min_risk
  Micros p50_latency{0};
  Micros p95_latency{0};
};

// Scores of the rows (in any order). Latency percentiles are nearest-rank
// over every row that was generated, answered or not.
Summary summarize(const std::vector<RowResult>& results);

}  // namespace cmdai::eval
