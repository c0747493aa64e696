#pragma once
// Importing the shell's own history file into cmdai history, offered on the
// first `cmdai init`. The parsing of bash, zsh and fish history formats
// belongs to the history module (history::import_history); this is the one
// place the CLI calls it from.

#include <cstddef>
#include <filesystem>
#include <optional>

#include "config/configuration.h"
#include "core/entities.h"
#include "core/env.h"
#include "core/error.h"
#include "history/import.h"

namespace cmdai::cli {

// Where the shell keeps its history by default: ~/.bash_history,
// ${ZDOTDIR:-~}/.zsh_history, ${XDG_DATA_HOME:-~/.local/share}/fish/fish_history.
std::optional<std::filesystem::path> default_shell_history_file(const Env& env, ShellType shell);

// Rates imported commands as the validator built from the configuration
// does (custom patterns included), each in its recorded directory (the home
// directory when none was recorded) and shell. env must outlive the rater.
// Within one rater the file system is read once per directory, program and
// path (an import rates thousands of commands in a few directories); a
// rater is not thread-safe.
Result<history::Rater> import_rater(const config::ConfigurationState& config, const Env& env);

// Imports every command of the file into the history database with the
// configuration's history options, each command rated; returns how many
// were added.
Result<std::size_t> import_shell_history(const config::ConfigurationState& config, const Env& env,
                                         const std::filesystem::path& history_db, ShellType shell,
                                         const std::filesystem::path& file);

}  // namespace cmdai::cli
