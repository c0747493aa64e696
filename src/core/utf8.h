#pragma once
// UTF-8 as every module checks it: strict (no overlong forms, no UTF-16
// surrogates, nothing past U+10FFFF), which is also what JSON output
// accepts. Text from users, shells and models is bytes; these say where
// its characters are, make it printable, and cut it without splitting one.

#include <cstddef>
#include <string>
#include <string_view>

namespace cmdai {

struct Utf8Char {
  char32_t code = 0;
  std::size_t length = 1;  // bytes taken; 1 for a byte that starts no valid sequence
  bool valid = false;
};

// The character starting at text[at]; at must be < text.size().
Utf8Char decode_utf8(std::string_view text, std::size_t at);

// Length of the valid sequence at text[at], or 0 when none starts there.
std::size_t utf8_sequence(std::string_view text, std::size_t at);

// The offset of the first byte that starts no valid sequence, or
// std::string_view::npos when the whole text is valid.
std::size_t first_invalid_utf8(std::string_view text);
bool is_valid_utf8(std::string_view text);

// The UTF-8 bytes of one code point ("" for surrogates and values past
// U+10FFFF).
std::string encode_utf8(char32_t code);

// The text with each byte that starts no valid sequence replaced by U+FFFD.
std::string printable_utf8(std::string_view text);

// The text with ASCII letters lower-cased and every other byte as it is
// (so UTF-8 sequences are untouched), whatever the C locale says.
std::string ascii_lower(std::string_view text);

// The longest start of text of at most max_bytes that ends on a character
// boundary (an invalid byte counts as one character).
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace cmdai
