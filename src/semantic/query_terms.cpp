#include "semantic/query_terms.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>

#include "history/full_text.h"
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

// The closest history term that starts like the word: with its first two
// letters, or with its first and third (a swap of the second and third,
// "gerp" -> "grep"). Each range costs a scan of its terms' postings, so the
// whole first-letter range (hundreds of terms at a million entries) is not
// read; typos elsewhere in common command names are caught by the lexicon.
// Ties go to the term in more entries.
Result<std::optional<std::string>> closest_history_term(history::TermCounts& counts, const std::string& word) {
  const auto max = allowed_distance(word.size());
  std::optional<std::string> best;
  std::size_t best_distance = max + 1;
  std::int64_t best_docs = 0;
  const std::string starts[] = {word.substr(0, 2), std::string{word[0], word[2]}};
  for (const auto& start : starts) {
    if (&start != &starts[0] && start == starts[0]) continue;
    auto terms = counts.find(start, history::TermMatch::prefix, word.size() - max, word.size() + max);
    if (!terms) return fail(terms.error());
    for (const auto& [term, docs] : *terms) {
      const std::size_t d = typo_distance(word, term);
      if (d < best_distance || (d == best_distance && docs > best_docs)) {
        best = term;
        best_distance = d;
        best_docs = docs;
      }
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

Result<Vocabulary> Vocabulary::open(store::Database& db) {
  CMDAI_TRY(history::open_index_terms(db));
  return Vocabulary(db);
}

Result<std::vector<TermCount>> Vocabulary::terms(const std::string& token, bool prefix) {
  const auto key = std::pair(token, prefix);
  if (auto known = m_known.find(key); known != m_known.end()) return known->second;
  auto terms = m_counts.find(token, prefix ? history::TermMatch::prefix : history::TermMatch::exact);
  if (!terms) return fail(terms.error());
  std::vector<TermCount> found;
  for (auto& term : *terms) found.push_back({std::move(term.term), term.entries});
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.entries > b.entries; });
  if (found.size() > k_prefix_terms) found.resize(k_prefix_terms);
  return m_known.emplace(key, std::move(found)).first->second;
}

const std::vector<history::MatchHit>* Vocabulary::matches(const std::string& key) const {
  auto known = m_matches.find(key);
  return known == m_matches.end() ? nullptr : &known->second;
}

void Vocabulary::remember_matches(const std::string& key, const std::vector<history::MatchHit>& hits) {
  m_matches.insert_or_assign(key, hits);
}

Result<bool> Vocabulary::contains(const std::string& token) {
  // Words of three letters or more are looked up as prefixes by the
  // signals anyway: one scan answers both.
  if (token.size() >= 3) CMDAI_TRY(terms(token, true));
  auto found = terms(token, false);
  if (!found) return fail(found.error());
  return !found->empty();
}

Result<std::int64_t> Vocabulary::document_frequency(const std::string& token, bool prefix) {
  auto found = terms(token, prefix);
  if (!found) return fail(found.error());
  std::int64_t sum = 0;
  for (const auto& t : *found) sum += t.entries;
  return sum;
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

Result<QueryTerms> query_terms(Vocabulary& vocabulary, std::string_view text) {
  QueryTerms terms;
  for (auto& word : raw_words(text)) {
    if (is_filler(word)) {
      terms.corrected_text += (terms.corrected_text.empty() ? "" : " ") + word;
      continue;
    }
    std::string meant = word;
    auto known = vocabulary.contains(word);
    if (!known) return fail(known.error());
    const bool in_lexicon = lexicon_vocabulary().contains(word);
    if (!*known && !in_lexicon && allowed_distance(word.size()) > 0) {
      auto near = closest_history_term(vocabulary.counts(), word);
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
