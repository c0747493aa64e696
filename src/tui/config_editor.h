#pragma once
// The full-screen configuration editor (ncurses). Shows the configuration
// by section; refuses politely when stdout is not a terminal.

#include "config/configuration.h"
#include "core/env.h"
#include "core/error.h"

namespace cmdai::tui {

// Errors: unavailable when stdin/stdout is not a terminal.
Result<void> run_config_editor(const Env& env, const config::ConfigurationState& state);

}  // namespace cmdai::tui
