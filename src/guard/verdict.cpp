#include "guard/verdict.h"

#include <array>

namespace cmdai::guard {
namespace {

constexpr std::array<std::string_view, 4> k_names{"pass", "allow", "ask", "deny"};

}  // namespace

std::string_view to_string(Verdict verdict) { return k_names[static_cast<std::size_t>(verdict)]; }

Result<Verdict> parse_verdict(std::string_view text) {
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    if (k_names[i] == text) return static_cast<Verdict>(i);
  }
  return fail(ErrorCode::invalid_argument, "unknown guard action '" + std::string(text) + "'",
              "use pass, allow, ask or deny");
}

}  // namespace cmdai::guard
