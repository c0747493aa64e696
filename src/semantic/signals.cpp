#include "semantic/signals.h"

#include <cctype>

namespace cmdai::semantic {
namespace {

Result<std::vector<SignalHit>> run_match(store::Database& db, const std::string& match, const FilterClause& filters,
                                         std::size_t limit) {
  std::vector<SignalHit> hits;
  if (match.empty()) return hits;
  // Column weights: the command matters most, then the request, tags, and
  // the generated explanation least.
  auto statement = db.prepare(
      "SELECT h.rowid, bm25(command_history_fts, 4.0, 2.0, 0.5, 1.0) AS score, "
      "snippet(command_history_fts, -1, '[', ']', '...', 10) FROM command_history_fts "
      "JOIN command_history h ON h.rowid = command_history_fts.rowid WHERE command_history_fts MATCH ?1" +
      filters.sql + " ORDER BY score LIMIT ?2");
  if (!statement) return fail(statement.error());
  statement->bind(1, match).bind(2, static_cast<std::int64_t>(limit));
  filters.bind(*statement);
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    hits.push_back({statement->column_int(0), statement->column_double(1), statement->column_text(2)});
  }
  return hits;
}

}  // namespace

std::string fts_phrase(std::string_view text) {
  std::string tokens;
  std::string token;
  auto flush = [&] {
    if (token.empty()) return;
    tokens += (tokens.empty() ? "" : " ") + token;
    token.clear();
  };
  for (char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 || c >= 0x80) {
      token += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  return tokens.empty() ? "" : "\"" + tokens + "\"";
}

Result<std::vector<SignalHit>> word_signal(store::Database& db, const std::vector<std::string>& words, WordMatch match,
                                           const FilterClause& filters, std::size_t limit) {
  std::string expression;
  const std::string_view joint = match == WordMatch::any ? " OR " : " AND ";
  for (const auto& word : words) {
    const std::string phrase = fts_phrase(word);
    if (phrase.empty()) continue;
    if (!expression.empty()) expression += joint;
    expression += phrase + (word.size() >= 3 ? "*" : "");
  }
  return run_match(db, expression, filters, limit);
}

Result<std::vector<SignalHit>> concept_signal(store::Database& db, const std::vector<std::string>& terms,
                                              const FilterClause& filters, std::size_t limit) {
  std::string any;
  for (const auto& term : terms) {
    const std::string phrase = fts_phrase(term);
    if (!phrase.empty()) any += (any.empty() ? "" : " OR ") + phrase;
  }
  if (any.empty()) return std::vector<SignalHit>{};
  return run_match(db, "command : (" + any + ")", filters, limit);
}

}  // namespace cmdai::semantic
