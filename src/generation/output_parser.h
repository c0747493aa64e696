#pragma once
// Turns raw model text into a command and its explanation. Strict JSON
// first; then a repair path for the ways small models break the format:
// code fences, prose around the JSON, single-quoted JSON, and a bare
// command line (alone or in a fence).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cmdai::generation {

enum class ParseRoute { strict_json, repaired_json, bare_command };

// Bounds on what a model may hand back; the schema asks for 200 characters
// each, a server need not obey.
inline constexpr std::size_t k_max_command_bytes = 4096;
inline constexpr std::size_t k_max_explanation_bytes = 2048;

struct ParsedOutput {
  std::string command;
  std::string explanation;
  ParseRoute route = ParseRoute::strict_json;
};

// Errors: model_output_invalid with the reason (no JSON object and no
// command line, no command field, an empty, multi-line or over-long command,
// invalid UTF-8 or control characters in the command). An explanation over
// k_max_explanation_bytes is cut on a character boundary and ends in "...".
Result<ParsedOutput> parse_model_output(std::string_view text);

// The JSON schema every backend is asked to follow (strings bounded, as the
// llama grammar bounds them).
std::string_view output_json_schema();

}  // namespace cmdai::generation
