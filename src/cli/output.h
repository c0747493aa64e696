#pragma once
// Rendering for people (plain, with optional colour) and for programs
// (JSON, YAML) of the same values.

#include <iosfwd>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/invocation.h"
#include "core/entities.h"

namespace cmdai::cli {

// JSON or YAML per the invocation's format (plain falls back to JSON), with
// every character a terminal would act on written as a \u escape.
void write_structured(Invocation& invocation, const nlohmann::json& value);

// A YAML document equivalent to the JSON value (block style; strings quoted).
std::string to_yaml(const nlohmann::json& value);

// ANSI colour for a risk level when colour is on; "" otherwise.
std::string_view risk_color(RiskLevel level, bool color);
std::string_view reset_color(bool color);
std::string_view bold(bool color);
std::string_view dim(bool color);

}  // namespace cmdai::cli
