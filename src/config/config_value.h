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

// What `config set KEY VALUE` takes: as parse_text, except that a list is a
// TOML array ('["a,b", "c"]') when the text starts with '[', and otherwise
// one item, taken whole: a comma inside it is part of it ("[a-z]{1,3}" must
// be written '["[a-z]{1,3}"]' or added with --add). Errors: invalid_argument
// for a malformed array, naming the array form and --add.
Result<ConfigValue> parse_argument(KeyType type, std::string_view text);

// The list with each item of `remove` taken out and each item of `add` not
// already in it appended, in order. Errors: invalid_argument naming an item
// to remove that the list does not hold.
Result<std::vector<std::string>> edit_list(std::vector<std::string> list, const std::vector<std::string>& add,
                                           const std::vector<std::string>& remove);

// True when text is valid UTF-8 without NUL bytes.
bool is_clean_text(std::string_view text);

}  // namespace cmdai::config
