#pragma once
// Words of a request as the rules matcher sees them: split, lower-cased,
// reduced to a canonical form (plurals, common synonyms) and marked when
// they carry no meaning of their own (stop words).

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace cmdai::rules {

struct Word {
  std::string raw;        // as typed, trailing sentence punctuation removed
  std::string lower;      // raw lower-cased
  std::string canon;      // canonical form: "folders" -> "directory", "files" -> "file"
  bool stop = false;      // "the", "show", "please" ...
  bool consumed = false;  // taken by a slot (a size, a path, a quoted string ...)
  bool place = false;     // taken as a directory name ("folder" in "in this folder")
  bool named = false;     // follows a word that says a name comes ("user marek", "branch fixup"): never a typo
};

// Splits a request into words. Quoted strings are not split here: the slot
// extractor removes them first. A word is a run of letters, marks and digits
// of any script (UTF-8) and the ASCII characters that occur inside paths and
// values ("._/~:@%+=*-$,#"); spaces, punctuation and symbols of other
// scripts and bytes that are not UTF-8 separate words.
std::vector<Word> split_words(std::string_view text);

// The non-empty parts of a data field between separators ("a|b||c" by '|':
// a, b, c): how template and modifier rows list their alternatives.
std::vector<std::string_view> split_list(std::string_view text, char separator);

// Whether text is a plain name: letters, marks and digits of any script,
// '_', '-' and '.'.
bool is_name_text(std::string_view text);

// Whether `word` is one of the words of a table (a constexpr array).
template <std::size_t N>
bool listed(const std::string_view (&table)[N], std::string_view word) {
  return std::find(std::begin(table), std::end(table), word) != std::end(table);
}

// The canonical form of one lower-case word.
std::string canonical_word(std::string_view lower);

bool is_stop_word(std::string_view canon);

// Every word form the word tables know (synonyms and stop words), for telling
// a typo of one from a name.
std::vector<std::string_view> known_word_forms();

}  // namespace cmdai::rules
