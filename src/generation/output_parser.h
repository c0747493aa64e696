#pragma once
// Turns raw model text into a command and its explanation. Strict JSON
// first; then a repair path for the ways small models break the format.

#include <string>
#include <string_view>

#include "core/error.h"

namespace cmdai::generation {

struct ParsedOutput {
  std::string command;
  std::string explanation;
};

// Errors: model_output_invalid with the reason (no JSON object, no command
// field, an empty or multi-line command).
Result<ParsedOutput> parse_model_output(std::string_view text);

// The JSON schema every backend is asked to follow.
std::string_view output_json_schema();

}  // namespace cmdai::generation
