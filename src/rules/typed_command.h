#pragma once
// Requests typed as commands ("du -sh", "tar xzf foo.tgz", "pkill firefox",
// "git checkout main"): recognised by shape and answered as typed, so they
// are never rewritten into something else. Half-commands mixed with prose
// ("grep -r TODO in ./app") are not commands here; the matcher handles
// them and keeps their flags (see templates.cpp).
//
// The command returned is the request with surrounding blanks removed, byte
// for byte; it is validated by safety like every other answer.

#include <optional>
#include <string>
#include <string_view>

namespace cmdai::rules {

struct TypedCommand {
  std::string command;
  // An option or a value by its shape ("-sh", "foo.tgz", "$PATH"), or the
  // program alone: nothing left to interpret. Without them ("apt install
  // curl") a template may still give a better answer.
  bool has_values = false;
};

// The command when the whole request reads as one: its first word is a
// program cmdai knows, and every other word is a flag, a value by its shape
// (path, file name, number, URL, $VAR, NAME=value, quoted text) or a bare
// name that is not prose. Pipes between such commands are allowed; `;`,
// `&`, redirections, backquotes, `$(` and control characters never are.
std::optional<TypedCommand> typed_command(std::string_view request);

// "-r", "-sh", "-9", "--depth=1": a word that is a command-line option.
bool is_flag(std::string_view word);

}  // namespace cmdai::rules
