#include "tui/text_columns.h"

#include <langinfo.h>

#include <clocale>
#include <cwchar>

#include "core/utf8.h"

namespace cmdai::tui {
namespace {

int width_of(const Utf8Char& d) {
  if (!d.valid) return 1;
  const int width = ::wcwidth(static_cast<wchar_t>(d.code));
  return width < 0 ? 1 : width;
}

}  // namespace

void use_utf8_locale() {
  std::setlocale(LC_ALL, "");
  if (std::string_view(nl_langinfo(CODESET)) == "UTF-8") return;
  if (std::setlocale(LC_CTYPE, "C.UTF-8") == nullptr) std::setlocale(LC_CTYPE, "en_US.UTF-8");
}

std::size_t sequence_length(std::string_view text, std::size_t at) {
  if (at >= text.size()) return 0;
  return decode_utf8(text, at).length;
}

int columns(std::string_view text) {
  int total = 0;
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Char d = decode_utf8(text, at);
    total += width_of(d);
    at += d.length;
  }
  return total;
}

std::string take_columns(std::string_view text, int width) {
  std::size_t at = 0;
  for (int used = 0; at < text.size();) {
    const Utf8Char d = decode_utf8(text, at);
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
