#pragma once
// The words of a search query, cleaned for matching: lower case, common
// filler words dropped, and misspelt words corrected against the words that
// actually occur in history (FTS5 vocabulary) and in the concept lexicon.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
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

// Reads the vocabulary through a TEMP fts5vocab table on this connection
// (no change to the database file).
Result<QueryTerms> query_terms(store::Database& db, std::string_view text);

// How many entries contain the token (as a prefix when prefix is set),
// from the same vocabulary table; query_terms() must have run on db first.
Result<std::int64_t> document_frequency(store::Database& db, const std::string& token, bool prefix);

// Optimal-string-alignment distance: edits plus adjacent transpositions
// ("gerp" -> "grep" is 1).
std::size_t typo_distance(std::string_view a, std::string_view b);

}  // namespace cmdai::semantic
