#include "team/copy_text.h"

#include "core/utf8.h"

namespace cmdai::team {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

void append_escaped(std::string& line, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      case '\0': line += k_replacement; break;
      default: line += c;
    }
  }
}

}  // namespace

void replace_nul(std::string& text) {
  for (std::size_t at = text.find('\0'); at != std::string::npos; at = text.find('\0', at)) {
    text.replace(at, 1, k_replacement);
    at += k_replacement.size();
  }
}

void append_copy_value(std::string& line, const std::optional<std::string_view>& value, bool first) {
  if (!first) line += '\t';
  if (!value) {
    line += "\\N";
    return;
  }
  if (is_valid_utf8(*value)) {
    append_escaped(line, *value);
  } else {
    append_escaped(line, printable_utf8(*value));
  }
}

}  // namespace cmdai::team
