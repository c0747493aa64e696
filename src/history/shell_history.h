#pragma once
// Readers for the history files shells write: bash (with or without
// HISTTIMEFORMAT "#<seconds>" lines), zsh (plain or EXTENDED_HISTORY
// ": <seconds>:<duration>;command", backslash-continued lines, zsh's
// metafied bytes) and fish ("- cmd: ..." / "  when: <seconds>").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"

namespace cmdai::history {

struct ShellCommand {
  std::size_t line = 0;  // 1-based line where the command starts
  std::string command;
  std::optional<Timestamp> timestamp;
};

struct ShellLineError {
  std::size_t line = 0;
  std::string message;
};

struct ShellHistory {
  std::vector<ShellCommand> commands;
  std::vector<ShellLineError> errors;
};

ShellHistory read_bash_history(std::string_view text);
ShellHistory read_zsh_history(std::string_view text);
ShellHistory read_fish_history(std::string_view text);

// The writers' side, for `cmdai history export`: one entry in each format,
// ending in a newline.
std::string bash_history_line(const std::string& command, Timestamp when);
std::string zsh_history_line(const std::string& command, Timestamp when);
std::string fish_history_line(const std::string& command, Timestamp when);

}  // namespace cmdai::history
