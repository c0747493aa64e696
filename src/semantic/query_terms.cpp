#include "semantic/query_terms.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>

#include "semantic/lexicon.h"

namespace cmdai::semantic {
namespace {

constexpr auto k_fillers = std::to_array<std::string_view>(
    {"a",    "an",   "the", "to", "of",  "in",   "on",    "for", "my",     "me",      "i",     "is",   "it",  "that",
     "this", "with", "and", "or", "how", "what", "which", "do",  "did",    "was",     "were",  "be",   "all", "some",
     "from", "by",   "at",  "as", "can", "you",  "show",  "get", "please", "command", "thing", "stuff"});

bool is_filler(std::string_view word) { return std::find(k_fillers.begin(), k_fillers.end(), word) != k_fillers.end(); }

std::vector<std::string> raw_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 || c >= 0x80 || c == '_') {
      word += static_cast<char>(std::tolower(c));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Words of every phrase and term in the lexicon: the vocabulary of intent.
const std::set<std::string, std::less<>>& lexicon_vocabulary() {
  static const std::set<std::string, std::less<>> vocabulary = [] {
    std::set<std::string, std::less<>> out;
    for (const Concept& c : concept_lexicon()) {
      for (auto phrase : c.phrases) {
        for (auto& w : raw_words(phrase)) out.insert(std::move(w));
      }
      for (auto term : c.terms) {
        for (auto& w : raw_words(term)) out.insert(std::move(w));
      }
    }
    return out;
  }();
  return vocabulary;
}

std::size_t allowed_distance(std::size_t length) { return length < 4 ? 0 : length < 7 ? 1 : 2; }

Result<void> ensure_vocabulary_table(store::Database& db) {
  return db.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.cmdai_history_vocab USING fts5vocab(main, command_history_fts, row)");
}

Result<bool> history_has(store::Database& db, const std::string& word) {
  auto statement = db.prepare("SELECT 1 FROM temp.cmdai_history_vocab WHERE term = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, word);
  return statement->step();
}

// The closest history term sharing the first letter; ties go to the term in
// more entries.
Result<std::optional<std::string>> closest_history_term(store::Database& db, const std::string& word) {
  auto statement = db.prepare(
      "SELECT term, doc FROM temp.cmdai_history_vocab WHERE term >= ?1 AND term < ?2 AND length(term) BETWEEN ?3 "
      "AND ?4");
  if (!statement) return fail(statement.error());
  const std::string first(1, word[0]);
  const std::string next(1, static_cast<char>(word[0] + 1));
  const auto max = allowed_distance(word.size());
  statement->bind(1, first).bind(2, next).bind(3, static_cast<std::int64_t>(word.size() - max));
  statement->bind(4, static_cast<std::int64_t>(word.size() + max));
  std::optional<std::string> best;
  std::size_t best_distance = max + 1;
  std::int64_t best_docs = 0;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::string term = statement->column_text(0);
    const std::size_t d = typo_distance(word, term);
    const std::int64_t docs = statement->column_int(1);
    if (d < best_distance || (d == best_distance && docs > best_docs)) {
      best = term;
      best_distance = d;
      best_docs = docs;
    }
  }
  return best;
}

std::optional<std::string> closest_lexicon_word(const std::string& word) {
  const auto max = allowed_distance(word.size());
  std::optional<std::string> best;
  std::size_t best_distance = max + 1;
  for (const auto& candidate : lexicon_vocabulary()) {
    if (candidate.size() + max < word.size() || candidate.size() > word.size() + max) continue;
    const std::size_t d = typo_distance(word, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace

Result<std::int64_t> document_frequency(store::Database& db, const std::string& token, bool prefix) {
  // A prefix's entries are at most the sum over its terms and at least the
  // largest; the sum is the safe side for a cost estimate.
  auto statement = db.prepare(prefix ? "SELECT coalesce(sum(doc), 0) FROM temp.cmdai_history_vocab WHERE term >= ?1 "
                                       "AND term < ?1 || char(1114111)"
                                     : "SELECT coalesce(sum(doc), 0) FROM temp.cmdai_history_vocab WHERE term = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, token);
  auto row = statement->step();
  if (!row) return fail(row.error());
  return statement->column_int(0);
}

std::size_t typo_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> d((n + 1) * (m + 1));
  auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * (m + 1) + j]; };
  for (std::size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (std::size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(n, m);
}

Result<QueryTerms> query_terms(store::Database& db, std::string_view text) {
  CMDAI_TRY(ensure_vocabulary_table(db));
  QueryTerms terms;
  for (auto& word : raw_words(text)) {
    if (is_filler(word)) {
      terms.corrected_text += (terms.corrected_text.empty() ? "" : " ") + word;
      continue;
    }
    std::string meant = word;
    auto known = history_has(db, word);
    if (!known) return fail(known.error());
    const bool in_lexicon = lexicon_vocabulary().contains(word);
    if (!*known && !in_lexicon && allowed_distance(word.size()) > 0) {
      auto near = closest_history_term(db, word);
      if (!near) return fail(near.error());
      if (auto lexical = closest_lexicon_word(word);
          lexical && (!*near || typo_distance(word, *lexical) < typo_distance(word, **near))) {
        *near = lexical;
      }
      if (*near) {
        meant = **near;
        terms.corrections.push_back({word, meant});
      }
    }
    terms.corrected_text += (terms.corrected_text.empty() ? "" : " ") + meant;
    terms.corrected_words.push_back(meant);
    terms.words.push_back(std::move(word));
  }
  return terms;
}

}  // namespace cmdai::semantic
