// libFuzzer target: whatever bytes a model, server or file sends, what
// terminal_text() returns holds no control a terminal acts on, is valid
// UTF-8, and is left as it is when shown again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/terminal_text.h"
#include "core/utf8.h"

namespace {

bool acts_on_terminal(char32_t code, cmdai::LineBreaks breaks) {
  if (code == '\n' || code == '\t') return breaks == cmdai::LineBreaks::visible;
  return code < 0x20 || code == 0x7F || (code >= 0x80 && code <= 0x9F) || (code >= 0x202A && code <= 0x202E) ||
         (code >= 0x2066 && code <= 0x2069);
}

void check(std::string_view input, cmdai::LineBreaks breaks) {
  const std::string out = cmdai::terminal_text(input, breaks);
  for (std::size_t at = 0; at < out.size();) {
    const cmdai::Utf8Char c = cmdai::decode_utf8(out, at);
    if (!c.valid || acts_on_terminal(c.code, breaks)) __builtin_trap();
    at += c.length;
  }
  if (cmdai::terminal_text(out, breaks) != out) __builtin_trap();
  if (cmdai::is_terminal_safe(input, breaks) != (out == input)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input, cmdai::LineBreaks::visible);
  check(input, cmdai::LineBreaks::keep);
  return 0;
}
