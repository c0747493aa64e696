#include "semantic/embedder.h"

#include <cmath>

namespace cmdai::semantic {
namespace {

// Length of the UTF-8 sequence starting with lead, or 0 if lead cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = sequence_length(lead);
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    const auto second = static_cast<unsigned char>(length > 1 ? text[i + 1] : 0);
    // Overlong three/four-byte forms, UTF-16 surrogates, code points past U+10FFFF.
    if (lead == 0xE0 && second < 0xA0) return false;
    if (lead == 0xED && second > 0x9F) return false;
    if (lead == 0xF0 && second < 0x90) return false;
    if (lead == 0xF4 && second > 0x8F) return false;
    i += length;
  }
  return true;
}

}  // namespace

void normalize_l2(std::span<float> v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;
  const auto scale = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : v) x *= scale;
}

Result<void> check_embeddable(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return fail(ErrorCode::invalid_argument, "text to embed contains a NUL byte", "remove it and try again");
  }
  if (!valid_utf8(text)) {
    return fail(ErrorCode::invalid_argument, "text to embed is not valid UTF-8", "re-encode it as UTF-8");
  }
  return {};
}

}  // namespace cmdai::semantic
