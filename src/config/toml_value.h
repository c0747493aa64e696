#pragma once
// Conversions between ConfigValue and toml++ nodes, for the file layer and
// the document editor. Internal to the config module: toml++ types stay here.

#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/config_value.h"

namespace cmdai::config {

// How cmdai writes TOML: toml++'s defaults, without indentation, floats as
// short as they round-trip.
inline constexpr toml::format_flags k_toml_format =
    (toml::toml_formatter::default_flags & ~toml::format_flags::indentation) |
    toml::format_flags::relaxed_float_precision;

// "config.toml:4:12: ..." for a file that does not parse; invalid UTF-8 is
// named as such, with what to do about it.
std::string describe_parse_error(const toml::parse_error& error, const std::string& source);

// Converts a TOML node; errors name the expected type.
Result<ConfigValue> from_toml(KeyType type, const toml::node& node);

// Sets root[dotted] = value, creating tables on the way; monostate does nothing.
void assign_toml(toml::table& root, std::string_view dotted, const ConfigValue& value);
// Removes root[dotted] and tables left empty; true when something was removed.
bool erase_toml(toml::table& root, std::string_view dotted);

// A value that is not a table, with its dotted name and line.
struct TomlLeaf {
  std::string name;
  const toml::node* node = nullptr;
  int line = 0;
};
void collect_leaves(const toml::table& table, const std::string& prefix, std::vector<TomlLeaf>& out);

}  // namespace cmdai::config
