#pragma once
// The configuration reference, generated from the key table: the README's
// "Configuration reference" section is this text (a test compares them).

#include <string>

namespace cmdai::config {

// How lists are set (a TOML array, or --add/--remove), then a Markdown table:
// key, type, default (lists as TOML arrays), environment variable, meaning.
std::string reference_markdown();
// The same for a terminal: the note on lists, then one block per key.
std::string reference_text();

}  // namespace cmdai::config
