#include "history/full_text.h"

#include <algorithm>

#include "history/search_rank.h"
#include "history/term_list.h"

namespace cmdai::history {
namespace {

Result<std::vector<MatchHit>> collect_hits(store::Statement& statement) {
  std::vector<MatchHit> hits;
  while (true) {
    auto row = statement.step();
    if (!row) return fail(row.error());
    if (!*row) return hits;
    hits.push_back({statement.column_int(0), statement.column_double(1)});
  }
}

std::string match_sql(MatchOrder order, const SqlFilter& filter) {
  // Without filters the FTS table alone answers (ORDER BY rank lets FTS5
  // sort); joining command_history would cost a b-tree lookup per matching
  // row before the LIMIT applies.
  if (order == MatchOrder::newest) {
    return "SELECT h.rowid, 0 FROM command_history_fts JOIN command_history h ON h.rowid = command_history_fts.rowid "
           "WHERE command_history_fts MATCH ?1" +
           filter.where + " ORDER BY command_history_fts.rowid DESC LIMIT ?2";
  }
  if (filter.where.empty()) {
    return "SELECT rowid, rank FROM command_history_fts WHERE command_history_fts MATCH ?1 AND rank MATCH '" +
           fts_rank_weights() + "' ORDER BY rank LIMIT ?2";
  }
  return "SELECT h.rowid, " + fts_rank_call() +
         " AS score FROM command_history_fts JOIN command_history h ON h.rowid = command_history_fts.rowid "
         "WHERE command_history_fts MATCH ?1" +
         filter.where + " ORDER BY score LIMIT ?2";
}

// The terms of sorted (term order) that start with text, or equal it when
// exact, within the length bounds.
std::vector<IndexTerm> terms_in(const std::vector<IndexTerm>& sorted, std::string_view text, TermMatch match,
                                std::size_t min_length, std::size_t max_length) {
  std::vector<IndexTerm> out;
  auto first = std::lower_bound(sorted.begin(), sorted.end(), text,
                                [](const IndexTerm& term, std::string_view key) { return term.term < key; });
  for (auto it = first; it != sorted.end() && it->term.starts_with(text); ++it) {
    if (match == TermMatch::exact && it->term != text) break;
    if (it->term.size() >= min_length && it->term.size() <= max_length) out.push_back(*it);
  }
  return out;
}

}  // namespace

Result<std::vector<MatchHit>> match_entries(store::Database& db, std::string_view expression, MatchOrder order,
                                            std::size_t limit, const SqlFilter& filter, int first_parameter) {
  auto statement = db.prepare_cached(match_sql(order, filter));
  if (!statement) return fail(statement.error());
  statement->bind(1, expression).bind(2, static_cast<std::int64_t>(limit));
  for (std::size_t i = 0; i < filter.parameters.size(); ++i) {
    const int index = first_parameter + static_cast<int>(i);
    std::visit([&](const auto& value) { statement->bind(index, value); }, filter.parameters[i]);
  }
  return collect_hits(*statement);
}

Result<std::vector<MatchHit>> match_entries_among(store::Database& db, std::string_view expression, MatchOrder order,
                                                  std::size_t limit,
                                                  const std::function<bool(std::int64_t rowid)>& allowed) {
  auto statement = db.prepare_cached(
      order == MatchOrder::newest ? "SELECT rowid, 0 FROM command_history_fts WHERE command_history_fts MATCH ?1 "
                                    "ORDER BY rowid DESC"
                                  : "SELECT rowid, rank FROM command_history_fts WHERE command_history_fts MATCH ?1 "
                                    "AND rank MATCH '" +
                                        fts_rank_weights() + "' ORDER BY rank");
  if (!statement) return fail(statement.error());
  statement->bind(1, expression);
  std::vector<MatchHit> hits;
  while (hits.size() < limit) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::int64_t rowid = statement->column_int(0);
    if (allowed(rowid)) hits.push_back({rowid, statement->column_double(1)});
  }
  return hits;
}

Result<void> open_index_terms(store::Database& db) {
  return db.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.cmdai_history_vocab USING fts5vocab(main, command_history_fts, row)");
}

Result<std::vector<IndexTerm>> index_terms(store::Database& db, std::string_view text, TermMatch match,
                                           std::size_t min_length, std::size_t max_length) {
  const bool bounded = min_length > 0 || max_length != SIZE_MAX;
  std::string sql =
      match == TermMatch::prefix
          ? "SELECT term, doc FROM temp.cmdai_history_vocab WHERE term >= ?1 AND term < ?1 || char(1114111)"
          : "SELECT term, doc FROM temp.cmdai_history_vocab WHERE term = ?1";
  if (bounded) sql += " AND length(term) BETWEEN ?2 AND ?3";
  auto statement = db.prepare_cached(sql);
  if (!statement) return fail(statement.error());
  statement->bind(1, text);
  if (bounded) {
    statement->bind(2, static_cast<std::int64_t>(min_length));
    statement->bind(3, static_cast<std::int64_t>(std::min<std::size_t>(max_length, INT64_MAX)));
  }
  std::vector<IndexTerm> terms;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return terms;
    terms.push_back({statement->column_text(0), statement->column_int(1)});
  }
}

const std::vector<IndexTerm>* TermCounts::covering(std::string_view text) const {
  for (std::size_t length = 1; length <= text.size(); ++length) {
    if (auto range = m_ranges.find(text.substr(0, length)); range != m_ranges.end()) return &range->second;
  }
  return nullptr;
}

void TermCounts::use_list(const TermListReader& reader, std::int64_t newest_rowid) {
  m_reader = &reader;
  m_newest_rowid = newest_rowid;
  m_list.reset();
}

const TermList* TermCounts::whole_list() {
  if (m_list || m_reader == nullptr) return m_list.get();
  auto list = m_reader->list();
  if (!list) return nullptr;
  // Read at another state of the index (an entry added since): never used.
  if (list->newest_rowid == m_newest_rowid) m_list = std::move(list);
  m_reader = nullptr;
  return m_list.get();
}

Result<std::vector<IndexTerm>> TermCounts::find(std::string_view text, TermMatch match, std::size_t min_length,
                                                std::size_t max_length) {
  if (const TermList* list = whole_list()) return terms_in(list->terms, text, match, min_length, max_length);
  const auto* range = covering(text);
  if (range == nullptr && match == TermMatch::exact) {
    auto known = m_exact.find(text);
    if (known == m_exact.end()) {
      auto read = index_terms(*m_db, text, TermMatch::exact);
      if (!read) return fail(read.error());
      known = m_exact.emplace(std::string(text), read->empty() ? 0 : read->front().entries).first;
    }
    std::vector<IndexTerm> out;
    if (known->second > 0 && text.size() >= min_length && text.size() <= max_length) {
      out.push_back({known->first, known->second});
    }
    return out;
  }
  if (range == nullptr) {
    // The whole range, whatever the length bounds: the index counts every
    // term of it either way.
    auto read = index_terms(*m_db, text, TermMatch::prefix);
    if (!read) return fail(read.error());
    range = &m_ranges.emplace(std::string(text), std::move(*read)).first->second;
  }
  return terms_in(*range, text, match, min_length, max_length);
}

}  // namespace cmdai::history
