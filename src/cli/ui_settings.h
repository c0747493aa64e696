#pragma once
// How much cmdai prints and whether it colours it, from the command line
// first (--color, --no-color, -q, -v), then the configuration (ui.color with
// NO_COLOR and CMDAI_COLOR, ui.verbosity).
//
//   verbosity  what a generated command shows
//   quiet      the command, and its risk line when it is not safe
//   normal     + its explanation, the rules that fired, backend and id
//   verbose    + which backend was chosen and why, and the timings
//   debug      the same, and a debug log (-vv)

#include "config/configuration.h"
#include "core/error.h"

namespace cmdai::cli {

struct ParsedArgs;

enum class ColorWhen { automatic, always, never };

// --color WHEN (or --no-color); automatic when neither is given. An unknown
// WHEN is invalid_argument.
Result<ColorWhen> color_when(const ParsedArgs& args);

// Colour on a stream: always/never decide; automatic colours a terminal when
// the configuration allows it (ui.color, which NO_COLOR turns off).
enum class IsTerminal { no, yes };
bool use_color(ColorWhen when, IsTerminal terminal, bool config_color);

// -q is quiet, -v verbose, -vv and more debug; without them ui.verbosity.
config::VerbosityLevel verbosity(const ParsedArgs& args, const config::ConfigurationState& config);

}  // namespace cmdai::cli
