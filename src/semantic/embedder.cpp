#include "semantic/embedder.h"

#include <cmath>

#include "core/utf8.h"

namespace cmdai::semantic {

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
  if (!is_valid_utf8(text)) {
    return fail(ErrorCode::invalid_argument, "text to embed is not valid UTF-8", "re-encode it as UTF-8");
  }
  return {};
}

}  // namespace cmdai::semantic
