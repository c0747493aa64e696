#pragma once
// The configuration reference, generated from the key table: the README's
// "Configuration reference" section is this text (a test compares them).

#include <string>

namespace cmdai::config {

// A Markdown table: key, type, default, environment variable, meaning.
std::string reference_markdown();
// The same for a terminal: one block per key.
std::string reference_text();

}  // namespace cmdai::config
