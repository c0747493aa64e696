#pragma once
// Command-line flags as data: one table of flags (name, short form, value,
// scope, help) from which parsing, --help and "did you mean" all come.

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

struct FlagSpec {
  std::string_view name;  // long name without dashes: "output"
  char short_name = 0;    // 'o', or 0
  Value value = Value::none;
  std::string_view scope;       // "" for global flags, else the subcommand ("history", "check" ...)
  std::string_view value_name;  // "FORMAT" in --output FORMAT
  std::string_view help;
};

std::span<const FlagSpec> flag_table();

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

}  // namespace cmdai::cli
