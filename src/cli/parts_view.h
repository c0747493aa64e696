#pragma once
// `cmdai explain`: each part of a command (program, subcommand, flags and
// their values, other arguments, redirections, pipeline stages) as lines
// for people or as JSON, from manual::command_parts.

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/invocation.h"
#include "manual/command_parts.h"

namespace cmdai::cli {

// The parts of command, documented from the man pages installed here (the
// parsed options cached under the cache directory) or the built-in table.
std::vector<manual::StagePart> parts_of(Invocation& inv, const std::string& command);

void print_parts(std::ostream& out, const std::vector<manual::StagePart>& parts, bool color);
nlohmann::json parts_json(const std::vector<manual::StagePart>& parts);

}  // namespace cmdai::cli
