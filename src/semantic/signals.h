#pragma once
// The ranked candidate lists a hybrid search fuses: entries matching the
// query's words (BM25), entries whose commands contain the terms of the
// concepts the query names (BM25 over the command column).

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "semantic/query_terms.h"
#include "semantic/search_filters.h"
#include "store/database.h"

namespace cmdai::semantic {

struct SignalHit {
  std::int64_t rowid = 0;
  double bm25 = 0;  // SQLite's bm25(): lower (more negative) is better
};

// A ranked list and the FTS5 expression that produced it (its terms mark
// the matching context, highlight.h).
struct Signal {
  std::vector<SignalHit> hits;
  std::string expression;
};

enum class WordMatch { any, all };

// Entries matching any (or all) of the words, best first; a word of three
// or more characters also matches the most common terms it starts
// (Vocabulary::k_prefix_terms of them). Filters are numbered from ?3.
Result<Signal> word_signal(Vocabulary& vocabulary, const std::vector<std::string>& words, WordMatch match,
                           const FilterClause& filters, std::size_t limit);

// Entries whose command contains any of the terms (a term with several
// words is a phrase), best first.
Result<Signal> concept_signal(Vocabulary& vocabulary, const std::vector<std::string>& terms,
                              const FilterClause& filters, std::size_t limit);

// An FTS5 string literal for a word or phrase: its tokens, quoted; "" when
// it has no letters or digits.
std::string fts_phrase(std::string_view text);

}  // namespace cmdai::semantic
