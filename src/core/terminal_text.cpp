#include "core/terminal_text.h"

#include <array>
#include <cstdio>

#include "core/utf8.h"

namespace cmdai {
namespace {

// Characters that reorder what follows them on screen (Unicode bidi
// embeddings, overrides, isolates and marks).
bool is_bidi_control(char32_t code) {
  return (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) || code == 0x200E || code == 0x200F ||
         code == 0x061C;
}

// The visible form of a C0 control: the C escapes people know, else a hex
// escape.
std::string c0_escape(unsigned char byte) {
  constexpr std::array<std::pair<unsigned char, const char*>, 8> k_named{{{0x1B, "\\e"},
                                                                          {0x07, "\\a"},
                                                                          {0x08, "\\b"},
                                                                          {0x0D, "\\r"},
                                                                          {0x0C, "\\f"},
                                                                          {0x0B, "\\v"},
                                                                          {0x0A, "\\n"},
                                                                          {0x00, "\\0"}}};
  for (const auto& [value, name] : k_named) {
    if (value == byte) return name;
  }
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
  return buffer;
}

std::string unicode_escape(char32_t code) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(code));
  return buffer;
}

// True for a character that must not reach the terminal as it is.
bool needs_escape(char32_t code, LineBreaks breaks) {
  if (code == '\n' || code == '\t') return breaks == LineBreaks::visible;
  return code < 0x20 || code == 0x7F || (code >= 0x80 && code <= 0x9F) || is_bidi_control(code);
}

void append_escaped(std::string& out, char32_t code) {
  if (code == '\t') {
    out += ' ';
  } else if (code < 0x20) {
    out += c0_escape(static_cast<unsigned char>(code));
  } else {
    out += unicode_escape(code);
  }
}

}  // namespace

std::string terminal_text(std::string_view text, LineBreaks breaks) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Char c = decode_utf8(text, at);
    if (!c.valid) {
      out += "\xEF\xBF\xBD";
    } else if (needs_escape(c.code, breaks)) {
      append_escaped(out, c.code);
    } else {
      out.append(text.substr(at, c.length));
    }
    at += c.length;
  }
  return out;
}

bool is_terminal_safe(std::string_view text, LineBreaks breaks) {
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Char c = decode_utf8(text, at);
    if (!c.valid || needs_escape(c.code, breaks)) return false;
    at += c.length;
  }
  return true;
}

}  // namespace cmdai
