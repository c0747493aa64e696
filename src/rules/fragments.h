#pragma once
// Command fragments built from several slots at once: find(1) filters
// (extension, size, age) and a sed substitution. Each piece of request text
// in them is shell-quoted.

#include <bitset>
#include <optional>
#include <string>

#include "core/entities.h"
#include "rules/render.h"
#include "rules/slots.h"

namespace cmdai::rules {

// " -iname '*.pdf' -size +10M -mtime -7" (leading space) or, in prose,
// " named *.pdf, larger than 10M, changed in the last 7 days". nullopt
// when the request names no extension, size or age. Marks the kinds used.
// Without names, the extension part is left out (for prose that names the
// kind of file first, see file_kind).
enum class FilterNames { include, omit };
std::optional<std::string> find_filters(const Slots& slots, Userland userland, bool prose,
                                        std::bitset<k_slot_kinds>& used, FilterNames names = FilterNames::include);

// ".pdf files", ".png or .jpg files", or "regular files".
std::string file_kind(const Slots& slots);

// 's/old/new/g' from two quoted strings, or the words after
// "replace|substitute|change" and "with|by|to". The text is escaped for a
// basic regular expression and the whole script quoted.
std::optional<std::string> sed_substitution(const Slots& slots, bool prose, SlotUsage& usage);

}  // namespace cmdai::rules
