#pragma once
// Shell quoting for values the rules backend places into commands. Every
// value taken from a request goes through one of these, so a request that
// contains `'; rm -rf / #` yields an argument, never a command.

#include <string>
#include <string_view>

namespace cmdai::llm::rules {

// The value as one POSIX-shell word: unchanged when it holds only characters
// that are never special ([A-Za-z0-9_./:@%+=,-], not starting with '-'),
// otherwise single-quoted with embedded quotes as '\''.
std::string shell_quote(std::string_view value);

// Always single-quoted, even when plain: for patterns and scripts (grep,
// sed, awk), where quoting is the convention readers expect.
std::string shell_quote_always(std::string_view value);

// Like shell_quote, but a leading "~" or "~/" stays unquoted so the shell
// still expands it to the home directory ("~/My Docs" -> ~/'My Docs').
std::string shell_quote_path(std::string_view path);

}  // namespace cmdai::llm::rules
