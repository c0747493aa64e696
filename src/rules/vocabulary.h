#pragma once
// The words the template library knows (template_table.h `words`, without
// prefix patterns). Slot extraction uses it to tell a bare name ("docs" in
// "the docs folder") from a word that means something ("empty folders").
//
// Thread safety: built once on first use; read-only afterwards.

#include <optional>
#include <string_view>

namespace cmdai::rules {

bool is_template_word(std::string_view word);

// The same without the words that only rule templates out ("!nginx"): the
// words some template takes as meaning.
bool is_meaning_word(std::string_view word);

// Words some template requires ("extract", "kill", "group"): a request
// word of this kind that a template leaves unexplained asks for something
// else.
bool is_intent_word(std::string_view word);

// True when a lower-case word of five letters or more is one slip (an
// edit, or two neighbours swapped) away from a meaning word or a known word
// form ("biger", "prots"): a typo, not a name.
bool is_typo_of_meaning_word(std::string_view word);

// The word a typo stands for ("direcotry" -> "directory"), if it is one.
std::optional<std::string_view> typo_correction(std::string_view word);

// True for an inflected form of a meaning word ("sorted", "accepts").
bool is_inflected_meaning_word(std::string_view word);

}  // namespace cmdai::rules
