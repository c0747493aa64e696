#pragma once
// The modifier lexicon: words of a request that change which command
// answers it ("follow" the log, the disk "as a graph", "pause" the
// container, "number the lines", "over ssh", "between" two commits, "stop
// and disable", "established" connections, "about usb", "in the firewall",
// "for march", only the "errors"). A template that does not explain a
// modifier the request names answers a different request, so the matcher
// rules it out: the request is declined, or answered by the variant whose
// words explain the modifier. What values are to the value check, these
// words are to this one.
//
// A template explains a modifier when one of its words (required or "?"
// optional, see template_table.h) is among the modifier's explaining
// words, or, for a one-word phrase, is that very word.
//
// Thread safety: pure functions over a constant table.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "rules/words.h"

namespace cmdai::rules {

struct Modifier {
  std::string_view name;  // what the words ask for, for diagnostics and tests
  // '|'-separated; each one or more words as typed (lower case); a trailing
  // '*' matches a prefix, a lone '*' any one word ("oldest * first").
  std::string_view phrases;
  std::string_view explained_by;  // '|'-separated template words that answer it, besides a one-word phrase itself
};

std::span<const Modifier> modifier_lexicon();

// One modifier phrase found in a request: words [first, first + length).
struct ModifierUse {
  const Modifier* modifier = nullptr;
  std::size_t first = 0;
  std::size_t length = 0;
};

// The modifiers a request names, in order. A phrase whose first word a slot
// took as a value, or that names a place, is not a modifier.
std::vector<ModifierUse> find_modifiers(const std::vector<Word>& words);

// Whether a template whose words are `known` (patterns as in
// template_table.h) explains the modifier used at `use`.
bool explains(std::span<const std::string_view> known, const ModifierUse& use, const std::vector<Word>& words);

}  // namespace cmdai::rules
