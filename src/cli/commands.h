#pragma once
// The subcommand table and the CLI entry point.

#include <span>
#include <string>
#include <string_view>

#include "cli/invocation.h"
#include "core/env.h"

namespace cmdai::cli {

struct SubcommandSpec {
  std::string_view name;
  std::string_view usage;  // "history list|show ID|..."
  std::string_view summary;
  ExitCode (*handler)(Invocation&);
};

std::span<const SubcommandSpec> subcommand_table();

// Every exit status and what it means, as --help and the man page list them.
std::string_view exit_status_text();

// cmd_docs.cpp: completion scripts and the man page, from the tables above.
ExitCode run_completions(Invocation& invocation);  // cmdai completions bash|zsh|fish
ExitCode run_man_page(Invocation& invocation);     // hidden: roff for cmdai.1

// Runs cmdai with argv (argv[0] is the program). Never throws.
int run(int argc, const char* const* argv, Env& env);

}  // namespace cmdai::cli
