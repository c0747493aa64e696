// libFuzzer target: the shell parser and the validator on arbitrary bytes.
// Must never crash, hang or trip a sanitizer; unparseable input must never
// be rated safe.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "safety/validator.h"
#include "shell/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto script = cmdai::shell::parse(text);
  cmdai::safety::ValidationContext context;
  context.working_directory = "/home/u/project";
  context.home_directory = "/home/u";
  static const cmdai::safety::Validator validator;
  const auto result = validator.validate(text, context);
  if (!script && result.risk_level < cmdai::RiskLevel::high) std::abort();
  if (result.safety_score < 0.0 || result.safety_score > 1.0) std::abort();
  return 0;
}
