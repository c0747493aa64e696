#pragma once
// In-place edits of a configuration file: the text changed just enough to
// parse to the edited table, so the user's comments, blank lines, key order
// and formatting survive a save. Internal to the config module.

#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace cmdai::config {

// The text of `original_text` (which parses to `original`) edited so that
// it parses to `target`: changed values are replaced where they stand,
// removed keys and tables lose their lines, and new keys go after the last
// key of their table (or in a new [table] at the end). Empty when an edit
// cannot be made that way (a key inside an inline table or written as a
// dotted name, arrays of tables, CR line ends...) or when the result does
// not parse back to exactly `target`; the caller then writes the file
// afresh.
std::optional<std::string> patch_toml(std::string_view original_text, const toml::table& original,
                                      const toml::table& target);

}  // namespace cmdai::config
