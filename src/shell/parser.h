#pragma once
// A parser for POSIX sh / bash command lines, as the shell itself would split
// them: lists, pipelines, compound commands, substitutions, redirections and
// heredocs, with de-quoted words (see shell/ast.h).
//
// Linear in the input (each byte is read once per nesting level); nesting of
// substitutions, subshells and groups deeper than ParseOptions::max_depth is
// an error, never a crash or a hang. if/while/until/for/case are flattened:
// their conditions and bodies become ordinary list items, because what
// matters downstream is everything that may run.

#include <cstddef>
#include <string_view>

#include "core/error.h"
#include "shell/ast.h"

namespace cmdai::shell {

struct ParseOptions {
  std::size_t max_depth = 64;  // nested $(...), `...`, (...), {...}
};

// Errors (all invalid_argument, with the byte offset in the message):
// unterminated quote or substitution, an operator with no command before or
// after it, an unmatched ')' or '}', nesting deeper than max_depth.
Result<Script> parse(std::string_view text, const ParseOptions& options = {});

// The words of a simple command as plain strings (their de-quoted text).
std::vector<std::string> argv_of(const Command& command);

}  // namespace cmdai::shell
