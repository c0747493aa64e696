// libFuzzer target: arbitrary bytes, split at a fuzzer-chosen point, must
// never crash the NDJSON parser; every emitted value came from one line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "llm/ndjson_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t split = data[0] % (bytes.size() + 1);
  std::size_t lines = 0;
  cmdai::llm::NdjsonParser parser([&](const nlohmann::json&) { ++lines; }, 4096);
  if (parser.feed(bytes.substr(0, split)) && parser.feed(bytes.substr(split))) (void)parser.finish();
  if (lines > bytes.size()) __builtin_trap();
  return 0;
}
