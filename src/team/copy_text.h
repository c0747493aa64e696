#pragma once
// PostgreSQL's COPY text format: one line per row, columns separated by
// tabs, \N for NULL, and backslash escapes for the characters that would
// break a line or a column. Values are made valid UTF-8 first (the server
// rejects anything else; history keeps any bytes a command held) and NUL
// bytes, which PostgreSQL text cannot hold, become U+FFFD like other
// invalid bytes.

#include <optional>
#include <string>
#include <string_view>

namespace cmdai::team {

// Appends one column value (with its leading tab unless first).
void append_copy_value(std::string& line, const std::optional<std::string_view>& value, bool first = false);

// Each NUL byte of text as U+FFFD, as append_copy_value writes it: for the
// strings that reach the server inside JSON (tags, metadata), where jsonb
// refuses the \u0000 escape JSON would give a NUL.
void replace_nul(std::string& text);

}  // namespace cmdai::team
