#include "team/search_words.h"

#include <cstdio>

namespace cmdai::team {
namespace {

bool is_plain_ascii(std::string_view text) {
  for (char c : text) {
    if (c == '\0' || static_cast<unsigned char>(c) > 127) return false;
  }
  return true;
}

// A tag as jsonb prints it inside its array (PostgreSQL's escape_json).
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

Result<WordSeparators> WordSeparators::of_server(Connection& connection) {
  auto rows = connection.query(
      "SELECT string_agg(chr(i), '' ORDER BY i) FROM generate_series(1, 127) AS i "
      "WHERE chr(i) ~ '[[:punct:][:space:]]'");
  if (!rows) return fail(rows.error());
  return WordSeparators(rows->text(0, 0));
}

WordSeparators::WordSeparators(std::string_view separators) {
  for (char c : separators) {
    if (static_cast<unsigned char>(c) < m_separator.size()) m_separator[static_cast<unsigned char>(c)] = true;
  }
}

std::optional<std::string> WordSeparators::words(std::string_view text) const {
  if (!is_plain_ascii(text)) return std::nullopt;
  std::string out;
  out.reserve(text.size());
  bool in_run = false;
  for (char c : text) {
    const bool separator = m_separator[static_cast<unsigned char>(c)];
    if (separator && !in_run) out += ' ';
    if (!separator) out += c;
    in_run = separator;
  }
  return out;
}

std::optional<std::string> WordSeparators::tag_words(const std::vector<std::string>& tags) const {
  std::string printed = "[";
  for (const auto& tag : tags) {
    if (printed.size() > 1) printed += ", ";
    append_json_string(printed, tag);
  }
  printed += ']';
  return words(printed);
}

}  // namespace cmdai::team
