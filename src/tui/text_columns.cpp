#include "tui/text_columns.h"

#include <cwchar>

namespace cmdai::tui {
namespace {

struct Decoded {
  char32_t code = 0;
  std::size_t length = 1;
  bool valid = false;
};

// Rejects overlong forms, surrogates and code points past U+10FFFF.
Decoded decode(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  char32_t code = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code = lead & 0x07, minimum = 0x10000;
  } else {
    return {};
  }
  if (text.size() - at < length) return {};
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return {};
    code = (code << 6) | (byte(k) & 0x3F);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {code, length, true};
}

int width_of(const Decoded& d) {
  if (!d.valid) return 1;
  const int width = ::wcwidth(static_cast<wchar_t>(d.code));
  return width < 0 ? 1 : width;
}

}  // namespace

std::size_t sequence_length(std::string_view text, std::size_t at) {
  if (at >= text.size()) return 0;
  return decode(text, at).length;
}

int columns(std::string_view text) {
  int total = 0;
  for (std::size_t at = 0; at < text.size();) {
    const Decoded d = decode(text, at);
    total += width_of(d);
    at += d.length;
  }
  return total;
}

std::string utf8_of(char32_t code) {
  std::string out;
  const auto put = [&](unsigned value) { out.push_back(static_cast<char>(value)); };
  if (code < 0x80) {
    put(code);
  } else if (code < 0x800) {
    put(0xC0 | (code >> 6)), put(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    if (code >= 0xD800 && code <= 0xDFFF) return {};
    put(0xE0 | (code >> 12)), put(0x80 | ((code >> 6) & 0x3F)), put(0x80 | (code & 0x3F));
  } else if (code <= 0x10FFFF) {
    put(0xF0 | (code >> 18)), put(0x80 | ((code >> 12) & 0x3F)), put(0x80 | ((code >> 6) & 0x3F)),
        put(0x80 | (code & 0x3F));
  }
  return out;
}

std::string take_columns(std::string_view text, int width) {
  std::size_t at = 0;
  for (int used = 0; at < text.size();) {
    const Decoded d = decode(text, at);
    if (used + width_of(d) > width) break;
    used += width_of(d);
    at += d.length;
  }
  return std::string(text.substr(0, at));
}

std::string fit_columns(std::string_view text, int width) {
  if (width <= 0) return {};
  if (columns(text) <= width) return std::string(text);
  if (width <= 3) return take_columns(text, width);
  return take_columns(text, width - 3) + "...";
}

}  // namespace cmdai::tui
