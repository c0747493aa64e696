#include "history/search.h"

#include "core/entity_json.h"

namespace cmdai::history {

std::string to_fts_query(std::string_view text) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    std::string quoted = "\"";
    for (char c : word) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += (out.empty() ? "" : " ") + quoted + "\"*";
    word.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n') {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

Result<std::vector<SearchResult>> search(HistoryStore& store, const SearchQuery& query) {
  const std::string match = to_fts_query(query.text);
  std::vector<SearchResult> results;
  if (match.empty()) return results;
  auto statement = store.database().prepare(
      "SELECT h.id, bm25(command_history_fts), snippet(command_history_fts, -1, '[', ']', '...', 12) "
      "FROM command_history_fts JOIN command_history h ON h.rowid = command_history_fts.rowid "
      "WHERE command_history_fts MATCH ?1 ORDER BY bm25(command_history_fts) LIMIT ?2");
  if (!statement) return fail(statement.error());
  statement->bind(1, match).bind(2, static_cast<std::int64_t>(query.max_results));
  std::vector<std::tuple<std::string, double, std::string>> rows;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    rows.emplace_back(statement->column_text(0), statement->column_double(1), statement->column_text(2));
  }
  for (auto& [id, rank, snippet] : rows) {
    auto entry = store.get(id);
    if (!entry) return fail(entry.error());
    if (!*entry) continue;
    // bm25() is negative, more negative = better; map to (0, 1].
    const double score = 1.0 / (1.0 + std::max(0.0, 10.0 + rank) / 10.0);
    results.push_back({std::move(**entry), score, snippet, "matched words (BM25 " + std::to_string(-rank) + ")"});
  }
  return results;
}

}  // namespace cmdai::history
