#include "cli/ui_settings.h"

#include "cli/args.h"

namespace cmdai::cli {

Result<ColorWhen> color_when(const ParsedArgs& args) {
  if (args.has("no-color")) return ColorWhen::never;
  const auto when = args.value("color");
  if (!when || *when == "auto") return ColorWhen::automatic;
  if (*when == "always") return ColorWhen::always;
  if (*when == "never") return ColorWhen::never;
  return fail(ErrorCode::invalid_argument, "--color " + *when + ": not a choice", "use auto, always or never");
}

bool use_color(ColorWhen when, IsTerminal terminal, bool config_color) {
  switch (when) {
    case ColorWhen::always: return true;
    case ColorWhen::never: return false;
    case ColorWhen::automatic: return terminal == IsTerminal::yes && config_color;
  }
  return false;
}

config::VerbosityLevel verbosity(const ParsedArgs& args, const config::ConfigurationState& config) {
  using config::VerbosityLevel;
  if (args.has("quiet")) return VerbosityLevel::quiet;
  if (args.count("verbose") == 1) return VerbosityLevel::verbose;
  if (args.count("verbose") > 1) return VerbosityLevel::debug;
  return config.verbosity_level;
}

}  // namespace cmdai::cli
