#pragma once
// Incremental splitter for newline-delimited JSON (Ollama streams one JSON
// object per line). Bytes go in as they arrive; each complete, non-blank
// line comes out parsed. A line that is not JSON, or longer than the limit,
// is an error, never a crash or an unbounded buffer.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace cmdai::llm {

class NdjsonParser {
 public:
  using LineSink = std::function<void(const nlohmann::json&)>;
  static constexpr std::size_t k_default_max_line = 1 << 20;

  explicit NdjsonParser(LineSink on_line, std::size_t max_line = k_default_max_line)
      : m_on_line(std::move(on_line)), m_max_line(max_line) {}

  // Errors: corruption (a line that is not JSON, or too long); after an
  // error every later call fails the same way.
  Result<void> feed(std::string_view bytes);
  // Ends the stream; a last line without its newline is parsed too.
  Result<void> finish();

 private:
  Result<void> take_line();

  LineSink m_on_line;
  std::size_t m_max_line;
  std::string m_line;
  bool m_failed = false;
};

}  // namespace cmdai::llm
