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

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cmdai::llm {

inline constexpr std::size_t k_max_field = 200;  // characters per string field

// The grammar's plain string character: printable ASCII but the quote and
// the backslash.
constexpr bool is_plain_string_byte(unsigned char c) { return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\'; }

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

// The grammar above as a recogniser: follows an answer as it is generated,
// byte by byte, and tells which bytes and token texts may come next. The
// llama backend samples with it (a check costs a few bytes of work, where
// llama.cpp's grammar engine spends tens of microseconds per token on its
// stacks); tests hold it to llama.cpp's verdicts for the same GBNF on a
// real vocabulary. Text that leaves the shape (only by feeding what it did
// not accept) allows nothing more.
class AnswerShape {
 public:
  void feed(std::string_view piece);
  // The bytes that may come next; empty once the object is complete.
  std::bitset<256> next_bytes() const;
  // False when the grammar cannot accept `piece` next (always, once lost).
  bool accepts(std::string_view piece) const;
  // A number naming the current state when what may come next depends on
  // nothing else (between strings, and at a string's first or last
  // character), so callers can remember the tokens it allows; empty inside
  // strings and once lost.
  std::optional<std::uint32_t> state_key() const;
  // Inside a string, after its first character and not after a backslash:
  // how many more characters fit. There any text of at most that many
  // plain bytes (is_plain_string_byte) is accepted; other text must hold a
  // quote or a backslash to be. Empty elsewhere.
  std::optional<std::size_t> string_room() const;

 private:
  bool step(unsigned char c);  // false: the grammar does not allow c here
  bool string_byte(unsigned char c);

  std::size_t m_step = 0;    // index into the grammar's sequence of steps
  std::size_t m_offset = 0;  // bytes of the current literal already seen
  bool m_in_string = false;  // after a string's opening quote
  bool m_escaped = false;    // after a backslash inside a string
  std::size_t m_units = 0;   // characters of the current string (an escape is one)
  bool m_lost = false;       // the text left the shape
};

}  // namespace cmdai::llm
