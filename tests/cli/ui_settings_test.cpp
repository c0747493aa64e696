// --color, NO_COLOR / ui.color and -q / -v / ui.verbosity (ui_settings.h).

#include "cli/ui_settings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/args.h"

namespace cmdai::cli {
namespace {

ParsedArgs parsed(std::vector<std::string> argv) { return parse_args(argv, "").value(); }

TEST(UiSettings, ColorWhenFromTheCommandLine) {
  EXPECT_EQ(color_when(parsed({})).value(), ColorWhen::automatic);
  EXPECT_EQ(color_when(parsed({"--color", "always"})).value(), ColorWhen::always);
  EXPECT_EQ(color_when(parsed({"--color=never"})).value(), ColorWhen::never);
  EXPECT_EQ(color_when(parsed({"--no-color"})).value(), ColorWhen::never);
  auto bad = color_when(parsed({"--color", "sometimes"}));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(bad.error().hint.find("auto, always or never"), std::string::npos);
}

TEST(UiSettings, AutomaticColoursATerminalTheConfigurationAllows) {
  EXPECT_TRUE(use_color(ColorWhen::automatic, IsTerminal::yes, true));
  EXPECT_FALSE(use_color(ColorWhen::automatic, IsTerminal::yes, false));  // ui.color = false, or NO_COLOR
  EXPECT_FALSE(use_color(ColorWhen::automatic, IsTerminal::no, true));
  EXPECT_TRUE(use_color(ColorWhen::always, IsTerminal::no, false));
  EXPECT_FALSE(use_color(ColorWhen::never, IsTerminal::yes, true));
}

TEST(UiSettings, VerbosityFromFlagsElseTheConfiguration) {
  config::ConfigurationState config;
  config.verbosity_level = config::VerbosityLevel::verbose;
  EXPECT_EQ(verbosity(parsed({}), config), config::VerbosityLevel::verbose);
  EXPECT_EQ(verbosity(parsed({"-q"}), config), config::VerbosityLevel::quiet);
  config.verbosity_level = config::VerbosityLevel::quiet;
  EXPECT_EQ(verbosity(parsed({"-v"}), config), config::VerbosityLevel::verbose);
  EXPECT_EQ(verbosity(parsed({"-vv"}), config), config::VerbosityLevel::debug);
}

}  // namespace
}  // namespace cmdai::cli
