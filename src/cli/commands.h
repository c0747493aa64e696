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

// Runs cmdai with argv (argv[0] is the program). Never throws.
int run(int argc, const char* const* argv, Env& env);

}  // namespace cmdai::cli
