#pragma once
// The words of a search query, cleaned for matching: lower case, common
// filler words dropped, and misspelt words corrected against the words that
// actually occur in history (FTS5 vocabulary) and in the concept lexicon.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "history/full_text.h"
#include "store/database.h"

namespace cmdai::semantic {

struct Correction {
  std::string typed;
  std::string meant;
};

struct QueryTerms {
  std::vector<std::string> words;            // as typed (lower case), fillers dropped
  std::vector<std::string> corrected_words;  // the same with corrections applied
  std::vector<Correction> corrections;
  std::string corrected_text;  // every word of the query, corrections applied
};

struct TermCount {
  std::string term;
  std::int64_t entries = 0;  // entries containing it
};

// The history's FTS terms, read through a TEMP fts5vocab table on this
// connection (no change to the database file). Each lookup scans the
// postings of the terms it returns, so the ranges of terms read are kept
// for the life of the object (history::TermCounts) and serve the lexical
// search's typo check too: make one per search, or keep one while the
// history does not change (SemanticSearch's TermMemory).
class Vocabulary {
 public:
  // Errors: the vocabulary table cannot be created.
  static Result<Vocabulary> open(store::Database& db);

  // The token itself, or with prefix the (at most k_prefix_terms) most
  // common terms that start with it, most common first.
  Result<std::vector<TermCount>> terms(const std::string& token, bool prefix);
  Result<bool> contains(const std::string& token);
  // Entries containing the token (any of its terms when prefix): the sum
  // over terms(), the safe side for a cost estimate.
  Result<std::int64_t> document_frequency(const std::string& token, bool prefix);

  store::Database& database() { return m_counts.database(); }
  // The terms read so far, for lookups of other shapes (near spellings).
  history::TermCounts& counts() { return m_counts; }
  // The entries an unfiltered signal query (its key: order, limit and
  // expression) gave before on this vocabulary, or nullptr; valid until
  // the next remember_matches.
  const std::vector<history::MatchHit>* matches(const std::string& key) const;
  void remember_matches(const std::string& key, const std::vector<history::MatchHit>& hits);

  static constexpr std::size_t k_prefix_terms = 16;

 private:
  explicit Vocabulary(store::Database& db) : m_counts(db) {}
  history::TermCounts m_counts;
  std::map<std::pair<std::string, bool>, std::vector<TermCount>> m_known;
  std::map<std::string, std::vector<history::MatchHit>> m_matches;
};

Result<QueryTerms> query_terms(Vocabulary& vocabulary, std::string_view text);

// Optimal-string-alignment distance: edits plus adjacent transpositions
// ("gerp" -> "grep" is 1).
std::size_t typo_distance(std::string_view a, std::string_view b);

}  // namespace cmdai::semantic
