#pragma once
// The matching context of a search result, marked without asking FTS5: its
// snippet() re-runs the whole MATCH (and re-expands every prefix) for each
// result shown, which at a million entries costs about a millisecond per
// common term. Used by history search and by semantic's hybrid search.

#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"

namespace cmdai::history {

// Whether c belongs to a word as FTS5's unicode61 tokenizer splits them
// here: letters, digits and every non-ASCII byte.
bool is_word_byte(char c);

// The words of text as the index holds them: runs of word bytes, in lower
// case ("A.tar.gz" is a, tar, gz). Local and team search split queries so.
std::vector<std::string> word_parts(std::string_view text);

enum class TermMatch {
  exact,   // a word is marked when it is one of the terms
  prefix,  // ... when it starts with one of them
};

// The first of command, request, explanation and tags holding a matching
// word (words as FTS5 splits them: runs of letters, digits and non-ASCII
// bytes, compared in lower case), with each such word in [brackets], cut to
// a window around the first one ("..." marks a cut; UTF-8 sequences are
// never split). "" when no field holds any.
std::string highlight_entry(const CommandHistoryEntry& entry, const std::vector<std::string>& terms, TermMatch match);

// The command cut to the same window from its start: the context of a
// result that matched on something no field shows (a corrected spelling).
std::string unmarked_context(const CommandHistoryEntry& entry);

}  // namespace cmdai::history
