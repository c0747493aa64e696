#pragma once
// The slot passes that read several words together: numbers with units
// (sizes, durations, counts, ports), extension words ("pdf files") and
// directory words ("in Downloads", "the docs folder").

#include <optional>
#include <string_view>

#include "rules/slots.h"

namespace cmdai::rules {

// Sizes, durations ("older than 7 days", "in the last 2 hours", "since
// yesterday", "past week"), counts ("top 5", "5 times"), ports, octal modes
// and the remaining integers.
void extract_quantities(Slots& slots);

// Whether a lower-case word of two letters or more names a unit of size or
// time ("gigabytes", "mb", "hours"): "in gigabytes" asks for a unit, it
// names no directory or user.
bool is_unit_word(std::string_view lower);

// The number a word spells out ("one", "three", "twenty"), if it is one.
std::optional<long> number_word(std::string_view w);

// "pdf files", "pdfs", "jpg photos", "png and jpg files".
void extract_extension_words(Slots& slots);

// "in Downloads", "in my home dir", "in this directory", "the docs folder",
// "under src" (at the end of the request).
void extract_directory_words(Slots& slots);

}  // namespace cmdai::rules
