#include "pipeline/habits.h"

#include <algorithm>

namespace cmdai::pipeline {
namespace {

constexpr int k_recent_runs = 10;  // runs looked at for "mostly failed"

// The program as an FTS5 phrase in the command column.
std::string fts_phrase(const std::string& program) {
  std::string quoted = "command:\"";
  for (char c : program) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

Result<safety::HabitHints> habit_hints(history::HistoryStore& store, const std::vector<std::string>& programs) {
  safety::HabitHints hints;
  auto statement = store.database().prepare(
      "SELECT h.exit_code FROM command_history_fts JOIN command_history h ON h.rowid = command_history_fts.rowid "
      "WHERE command_history_fts MATCH ?1 ORDER BY h.rowid DESC LIMIT ?2");
  if (!statement) return fail(statement.error());
  for (const auto& program : programs) {
    CMDAI_TRY(statement->reset());
    statement->bind(1, fts_phrase(program)).bind(2, std::int64_t{k_recent_runs});
    int seen = 0, ran = 0, failed = 0;
    while (true) {
      auto row = statement->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      ++seen;
      if (statement->is_null(0)) continue;
      ++ran;
      if (statement->column_int(0) != 0) ++failed;
    }
    if (seen > 0) hints.known_programs.push_back(program);
    if (ran >= 2 && failed * 2 > ran) hints.failing_programs.push_back(program);
  }
  return hints;
}

}  // namespace cmdai::pipeline
