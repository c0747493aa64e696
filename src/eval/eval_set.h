#pragma once
// An evaluation set: requests with a regex their right command matches,
// read from a TSV file whose first line names the columns:
//
//   id  request  accept_regex     required, in any order
//   category                      optional: rows are scored per category
//   min_risk                      optional: empty, high or critical - the
//                                 right answer is destructive and must be
//                                 rated at least this risky
//
// UTF-8, one row a line, fields separated by tabs (no quoting); blank
// lines are skipped and a CR before the newline is dropped.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "eval/accept_pattern.h"

namespace cmdai::eval {

struct EvalRow {
  std::string id;
  std::string category;  // "" when the file has no category column
  std::string request;
  AcceptPattern accept;
  std::optional<RiskLevel> min_risk;
  std::size_t line = 0;  // 1-based line of the row in its file
};

struct EvalSet {
  std::string name;  // the file as given, for messages
  std::vector<EvalRow> rows;
};

// Parses text read from a file called name. Errors: invalid_argument naming
// "name:LINE:" for a missing or unknown column, a row with the wrong number
// of fields, an empty or repeated id, an empty request, a regex that does
// not compile, a min_risk other than high or critical, text that is not
// UTF-8, and a file with no rows.
Result<EvalSet> parse_eval_set(std::string_view text, const std::string& name);

// Reads and parses the file. Errors: not_found / io_error when it cannot be
// read, otherwise as parse_eval_set.
Result<EvalSet> load_eval_set(const std::filesystem::path& path);

}  // namespace cmdai::eval
