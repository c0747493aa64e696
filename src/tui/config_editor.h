#pragma once
// The full-screen configuration editor (ncurses with its form and menu
// libraries): four sections - Backend Configuration, History Settings, Safety
// Configuration, UI Preferences - each field validated as it is typed, with
// the message shown under it. Save writes the file atomically; quitting with
// unsaved changes asks first.
//
// Keys: Tab/Down and Shift-Tab/Up move between fields (past the last field
// to the next section), PgDn/PgUp change section, Left/Right/Space change a
// choice, Enter moves on, F2 or Ctrl-S saves, Esc or q (on a choice) quits.
// Needs 80x24; follows resizes; no colour under NO_COLOR or ui.color = false.

#include <filesystem>
#include <functional>

#include "config/configuration.h"
#include "core/env.h"
#include "core/error.h"
#include "tui/editor_model.h"

namespace cmdai::tui {

struct EditorOptions {
  std::filesystem::path config_file;
  config::LoadedConfiguration effective;  // with environment and command line, for override notes
  config::ConfigurationState file_state;  // what the file says: what the editor edits
  CommandRater rate_command;              // for the "test a command" box
  // After each successful save, with the file's state before it.
  std::function<void(const config::ConfigurationState& before)> on_saved;
};

// Errors: unavailable when stdin or stdout is not a terminal (the hint points
// to `cmdai config set`).
Result<void> run_config_editor(Env& env, EditorOptions options);

}  // namespace cmdai::tui
