#pragma once
// Command-line flags as data: one table of flags (name, short form, value,
// scope, help) from which parsing, --help and "did you mean" all come.

#include <charconv>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/edit_distance.h"
#include "core/error.h"

namespace cmdai::cli {

enum class Value { none, required };

// Where completion finds the values of a flag or an operand.
enum class Complete {
  none,           // the shell's own (file names)
  backend,        // backend types, "auto" and the configured instance names
  instance,       // the configured instance names
  shell,          // bash, zsh, fish, sh, powershell
  config_key,     // the configuration key table
  subcommand,     // the listed subcommands
  output_format,  // plain, json, yaml
  color_when,     // auto, always, never
  search_mode,    // lexical, semantic, hybrid
  risk_level,     // safe, moderate, high, critical
  history_format  // jsonl, bash, zsh, fish
};

struct FlagSpec {
  std::string_view name;  // long name without dashes: "output"
  char short_name = 0;    // 'o', or 0
  Value value = Value::none;
  std::string_view scope;       // "" for global flags, else the subcommand ("history", "check" ...)
  std::string_view value_name;  // "FORMAT" in --output FORMAT
  std::string_view help;
  Complete complete = Complete::none;  // how its value is completed
};

std::span<const FlagSpec> flag_table();

// "-o, --output FORMAT": how help, the man page and completions name a flag.
std::string flag_usage(const FlagSpec& flag);

struct ParsedArgs {
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>, std::less<>> flags;  // name -> values ("" for valueless)

  bool has(std::string_view name) const { return flags.find(name) != flags.end(); }
  std::size_t count(std::string_view name) const;
  std::optional<std::string> value(std::string_view name) const;  // the last one given
};

// Parses argv[1..]; scope decides which subcommand flags are accepted in
// addition to the global ones. Errors: invalid_argument with "did you mean".
Result<ParsedArgs> parse_args(std::span<const std::string> args, std::string_view scope);

// The candidate closest to word within max_distance, if any.
std::optional<std::string> closest(std::string_view word, std::span<const std::string> candidates,
                                   std::size_t max_distance = 2);

// The whole of text as a number of type T (decimal, nothing before or
// after it, within T's range), else nullopt: how flag values and the hidden
// subcommands' operands are read.
template <typename T>
std::optional<T> whole_number(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace cmdai::cli
