#include "history/typo.h"
#include "core/utf8.h"

#include <algorithm>
#include <tuple>

namespace cmdai::history {

std::size_t typo_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> previous(m + 1), current(m + 1), before_previous(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    before_previous.swap(previous);
    previous.swap(current);
  }
  return previous[m];
}

std::size_t allowed_typos(std::size_t length) {
  if (length < 4) return 0;
  return length <= 5 ? 1 : 2;
}

std::string correction_prefix(std::string_view word) { return std::string(word.substr(0, word.size() >= 5 ? 2 : 1)); }

std::optional<std::size_t> typo_of(std::string_view word, std::string_view term) {
  const std::size_t allowed = allowed_typos(word.size());
  if (allowed == 0 || term.size() + allowed < word.size()) return std::nullopt;
  const std::size_t distance = std::min(typo_distance(word, term), typo_distance(word, term.substr(0, word.size())));
  if (distance == 0 || distance > allowed) return std::nullopt;
  return distance;
}

namespace {

// Of the terms sharing the word's first letters (lower-case), the
// corrections: closest first, then the most common.
class Nearest {
 public:
  explicit Nearest(std::string word) : m_word(std::move(word)) {}
  const std::string& word() const { return m_word; }
  void consider(std::string term, std::int64_t documents) {
    const auto distance = typo_of(m_word, term);
    if (distance) m_found.emplace_back(*distance, -documents, std::move(term));
  }
  std::vector<Correction> best(std::size_t max_results) {
    std::sort(m_found.begin(), m_found.end());
    std::vector<Correction> out;
    for (auto& [distance, count, term] : m_found) {
      if (out.size() == max_results) break;
      out.push_back({std::move(term), -count});
    }
    return out;
  }

 private:
  std::string m_word;
  std::vector<std::tuple<std::size_t, std::int64_t, std::string>> m_found;
};

}  // namespace

Result<std::vector<Correction>> corrections(TermCounts& counts, std::string_view word, std::size_t max_results) {
  Nearest nearest(ascii_lower(word));
  if (allowed_typos(nearest.word().size()) == 0) return std::vector<Correction>{};
  auto terms = counts.find(correction_prefix(nearest.word()), TermMatch::prefix);
  if (!terms) return fail(terms.error());
  for (auto& term : *terms) nearest.consider(std::move(term.term), term.entries);
  return nearest.best(max_results);
}

Result<std::vector<Correction>> corrections(store::Database& db, std::string_view word, std::size_t max_results) {
  Nearest nearest(ascii_lower(word));
  const std::string& lower = nearest.word();
  if (allowed_typos(lower.size()) == 0) return std::vector<Correction>{};
  auto statement = db.prepare_cached("SELECT term, doc FROM command_history_vocab WHERE term >= ?1 AND term < ?2");
  if (!statement) return fail(statement.error());
  // The vocabulary table counts documents for every term it visits, so the
  // scan is kept to words sharing the first letters.
  const std::string first = correction_prefix(lower);
  statement->bind(1, first).bind(2, first + "\xff");
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return nearest.best(max_results);
    nearest.consider(statement->column_text(0), statement->column_int(1));
  }
}

}  // namespace cmdai::history
