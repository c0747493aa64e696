#pragma once
// ConfigValue: the value of one configuration key, independent of where it
// came from, and its conversions to and from text (command line, environment,
// the editor); toml_value.h converts to and from TOML nodes (the file).

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace cmdai::config {

enum class KeyType { boolean, integer, text, choice, list };

// monostate: an optional key with no value ("keep forever").
using ConfigValue = std::variant<std::monostate, bool, std::int64_t, std::string, std::vector<std::string>>;

std::string_view to_string(KeyType type);

// The value as a person writes it: true, 30000, http://x, strict,
// "llama, ollama, rules"; lists whose items hold commas or spaces at either
// end use TOML array syntax ['a,b', 'c']. monostate is "".
std::string to_text(const ConfigValue& value);

// Parses text for a key of this type. "" is monostate (unset) for every
// type. Errors: invalid_argument naming what was expected; NUL bytes and
// invalid UTF-8 are rejected.
Result<ConfigValue> parse_text(KeyType type, std::string_view text);

// True when text is valid UTF-8 without NUL bytes.
bool is_clean_text(std::string_view text);

}  // namespace cmdai::config
