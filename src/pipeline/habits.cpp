#include "pipeline/habits.h"

#include <algorithm>

#include "shell/parser.h"

namespace cmdai::pipeline {
namespace {

constexpr int k_recent_runs = 10;             // runs looked at for "mostly failed"
constexpr std::size_t k_words_looked_at = 4;  // per simple command

void collect(const shell::Script& script, std::vector<std::string>& out) {
  for (const auto& item : script.items) {
    for (const auto& command : item.pipeline.commands) {
      for (const auto& body : command.body) collect(body, out);
      // Wrappers (sudo, env, nice, xargs ...) put the real program further
      // along: every leading word that could name a program is a candidate.
      const auto argv = shell::argv_of(command);
      for (std::size_t i = 0; i < argv.size() && i < k_words_looked_at; ++i) {
        const std::string& word = argv[i];
        if (word.empty() || word[0] == '-' || word.find('=') != std::string::npos) continue;
        std::string program = word.substr(word.find_last_of('/') + 1);
        if (!program.empty() && std::find(out.begin(), out.end(), program) == out.end()) out.push_back(program);
      }
    }
  }
}

// The program as an FTS5 phrase in the command column.
std::string fts_phrase(const std::string& program) {
  std::string quoted = "command:\"";
  for (char c : program) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

std::vector<std::string> programs_in(std::string_view command) {
  std::vector<std::string> out;
  if (auto script = shell::parse(command)) collect(*script, out);
  return out;
}

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
