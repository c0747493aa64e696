#pragma once
// The matching context of a hybrid search result: the terms of the FTS5
// expression that found it, marked by history's highlighter (whole words).

#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"

namespace cmdai::semantic {

// The terms of an FTS5 expression built by signals.h: every token inside
// its double-quoted phrases, lower case, each once.
std::vector<std::string> expression_terms(std::string_view expression);

// The first of command, request, explanation and tags holding a word that
// is one of terms (words as FTS5 splits them: runs of letters, digits and
// non-ASCII bytes, compared in lower case), with each such word in
// [brackets], cut to a window around the first one ("..." marks a cut).
// "" when no field holds any.
std::string highlight_terms(const CommandHistoryEntry& entry, const std::vector<std::string>& terms);

}  // namespace cmdai::semantic
