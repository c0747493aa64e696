#pragma once
// Typo tolerance for history search: a query word that matches nothing, or
// far fewer entries than a near spelling, is widened to the indexed words
// within a small edit distance of it
// ("systemclt" -> "systemctl"), read from the full-text index's own
// vocabulary (command_history_vocab, migration 6).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "history/full_text.h"
#include "store/database.h"

namespace cmdai::history {

// Optimal-string-alignment distance: insertions, deletions, substitutions
// and swaps of two neighbouring characters each cost 1.
std::size_t typo_distance(std::string_view a, std::string_view b);

// How far a word of this length may be from a correction: 0 below 4
// characters (too many near neighbours), 1 up to 5, else 2.
std::size_t allowed_typos(std::size_t length);

// The first letters an indexed word must share with word (lower-case) to
// be a correction: two, or one for words under 5 characters.
std::string correction_prefix(std::string_view word);

// How far term is from word (both lower-case) as a typo: the distance to
// the whole term or to its prefix of the word's length ("systemclt" and
// "systmctl" are typos of "systemctl"); nullopt when it is no typo of it
// (the same word, or further than allowed_typos()).
std::optional<std::size_t> typo_of(std::string_view word, std::string_view term);

struct Correction {
  std::string term;
  std::int64_t documents = 0;  // entries holding it
};

// Indexed words that start with the same two letters as word (one for
// words under 5 characters) and are within
// allowed_typos() of it (or of one of its prefixes, as the user may still be
// typing), closest and most common first, at most max_results.
Result<std::vector<Correction>> corrections(store::Database& db, std::string_view word, std::size_t max_results = 4);
// The same from the terms a caller keeps (its range of first letters read
// once, then answered from memory).
Result<std::vector<Correction>> corrections(TermCounts& counts, std::string_view word, std::size_t max_results = 4);

}  // namespace cmdai::history
