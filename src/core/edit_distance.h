#pragma once
// Levenshtein distance, for "did you mean" suggestions everywhere (flags,
// subcommands, backend names, model names).

#include <cstddef>
#include <string_view>

namespace cmdai {

// Insertions, deletions and substitutions of bytes; O(|a|·|b|) time,
// O(|b|) memory.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace cmdai
