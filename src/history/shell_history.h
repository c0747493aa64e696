#pragma once
// Readers for the history files shells write: bash (with or without
// HISTTIMEFORMAT "#<seconds>" lines; when the file has them, every line up
// to the next stamp belongs to the stamped command, so multi-line commands
// and heredocs stay one entry), zsh (plain or EXTENDED_HISTORY
// ": <seconds>:<duration>;command" with its duration, backslash-continued
// lines, zsh's metafied bytes) and fish ("- cmd: ...", "  when: <seconds>",
// "  paths:" with its "    - PATH" items).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"

namespace cmdai::history {

// One command as the source recorded it; what a source does not record is
// unset (or empty).
struct ShellCommand {
  std::size_t line = 0;  // 1-based line where the command starts (a row number for databases)
  std::string command;
  std::optional<Timestamp> timestamp;
  std::optional<Micros> duration;  // zsh extended history, atuin
  std::optional<int> exit_code;    // atuin, mcfly
  std::string cwd;                 // atuin, mcfly
  std::optional<std::string> hostname;
  std::optional<std::string> session;
  std::vector<std::string> paths;  // fish: the paths the command named
  std::string source_id;           // the source's own id for the command (atuin, mcfly)
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
