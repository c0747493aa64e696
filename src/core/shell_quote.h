#pragma once
// Shell quoting: the one way cmdai turns a value into a word of a command
// line (rules answers, safer alternatives, shell integration scripts).
// Whatever the value holds - spaces, quotes, `$`, `;`, newlines, non-ASCII
// letters - the shell reads back exactly one word equal to it, with no
// expansion. Quoting never makes an option an operand: a value starting
// with '-' still reads as an option to the program, which is why paths go
// through shell_quote_path.

#include <string>
#include <string_view>

namespace cmdai {

enum class ShellDialect {
  posix,  // sh, bash, zsh: inside '…' every byte is literal
  fish,   // fish: inside '…' a backslash escapes ' and itself
};

// The value unchanged when it holds only bytes that are never special to
// any shell ([A-Za-z0-9_./:@%+=,-], not empty, not starting with '~'),
// otherwise single-quoted.
std::string shell_quote(std::string_view value, ShellDialect dialect = ShellDialect::posix);

// Always single-quoted, even when plain: for patterns and scripts (grep,
// sed, awk), where readers expect the quotes.
std::string shell_quote_always(std::string_view value, ShellDialect dialect = ShellDialect::posix);

// A path as one word: a leading "~" or "~/" stays unquoted so the shell
// still expands it ("~/My Docs" -> ~/'My Docs'), and a relative path
// starting with '-' gets "./" so no program reads it as an option.
std::string shell_quote_path(std::string_view path, ShellDialect dialect = ShellDialect::posix);

}  // namespace cmdai
