#pragma once
// A parser for POSIX sh / bash command lines, as the shell itself would split
// them: lists and pipelines of simple commands with de-quoted argv.
//
// Linear in the input; nesting deeper than ParseOptions::max_depth is an
// error (never a crash or a hang).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cmdai::shell {

struct Span {
  std::size_t begin = 0;  // byte offsets into the parsed text
  std::size_t end = 0;
};

struct SimpleCommand {
  std::vector<std::string> assignments;  // leading NAME=value words
  std::vector<std::string> argv;         // de-quoted words
  Span span;
};

enum class Connector { none, sequence, and_if, or_if, pipe, background };

// One simple command and how it connects to the next one.
struct ListItem {
  SimpleCommand command;
  Connector next = Connector::none;
};

struct Script {
  std::vector<ListItem> items;
};

struct ParseOptions {
  std::size_t max_depth = 64;
};

// Errors: invalid_argument for an unterminated quote or a syntax error.
Result<Script> parse(std::string_view text, const ParseOptions& options = {});

}  // namespace cmdai::shell
