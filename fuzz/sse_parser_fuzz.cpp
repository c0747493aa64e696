// libFuzzer target: arbitrary bytes, split at a fuzzer-chosen point, must
// never crash the SSE parser, and a too-long line must be reported.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "llm/sse_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t split = data[0] % (bytes.size() + 1);
  std::size_t data_bytes = 0;
  cmdai::llm::SseParser parser([&](const cmdai::llm::SseEvent& event) { data_bytes += event.data.size(); }, 4096);
  if (parser.feed(bytes.substr(0, split))) (void)parser.feed(bytes.substr(split));
  parser.finish();
  if (data_bytes > bytes.size()) __builtin_trap();  // events never invent data
  return 0;
}
