#pragma once
// The GBNF grammar for cmdai's answer object, used for constrained decoding
// by the in-process llama backend:
//
//   {"command": "<1..k_max_field printable ASCII>", "explanation": "<0..k_max_field>"}
//
// Every string is bounded and limited to printable ASCII (escapes \" \\ \/
// allowed), so even a random-weight model closes each string and the
// object, the command is a single non-blank line, and the output is always
// valid UTF-8 and valid JSON. JsonEndScanner tells when the object closed.

#include <cstddef>
#include <string>
#include <string_view>

namespace cmdai::llm {

inline constexpr std::size_t k_max_field = 200;  // characters per string field

std::string command_grammar();

// Watches streamed text and reports when the first top-level JSON object
// is complete (braces inside strings do not count).
class JsonEndScanner {
 public:
  // Returns true once the object has closed (and for any later call).
  bool feed(std::string_view piece);

 private:
  int m_depth = 0;
  bool m_started = false;
  bool m_in_string = false;
  bool m_escaped = false;
  bool m_closed = false;
};

}  // namespace cmdai::llm
