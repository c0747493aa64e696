#include "llm/command_grammar.h"

#include <array>

namespace cmdai::llm {

std::string command_grammar() {
  const std::string max_rest = std::to_string(k_max_field - 1);
  const std::string max_all = std::to_string(k_max_field);
  return "root ::= \"{\" sp \"\\\"command\\\"\" sp \":\" sp command sp \",\" sp \"\\\"explanation\\\"\" sp \":\" sp "
         "explanation sp \"}\"\n"
         "command ::= \"\\\"\" first char{0," +
         max_rest +
         "} \"\\\"\"\n"
         "explanation ::= \"\\\"\" char{0," +
         max_all +
         "} \"\\\"\"\n"
         "first ::= [\\x21\\x23-\\x5B\\x5D-\\x7E] | escape\n"
         "char ::= [\\x20\\x21\\x23-\\x5B\\x5D-\\x7E] | escape\n"
         "escape ::= \"\\\\\" [\"\\\\/]\n"
         "sp ::= \" \"?\n";
}

bool JsonEndScanner::feed(std::string_view piece) {
  for (const char c : piece) {
    if (m_closed) return true;
    if (m_in_string) {
      if (m_escaped) {
        m_escaped = false;
      } else if (c == '\\') {
        m_escaped = true;
      } else if (c == '"') {
        m_in_string = false;
      }
      continue;
    }
    if (c == '"' && m_started) {
      m_in_string = true;
    } else if (c == '{') {
      m_started = true;
      ++m_depth;
    } else if (c == '}' && m_started && --m_depth == 0) {
      m_closed = true;
    }
  }
  return m_closed;
}

namespace {

// command_grammar() as a sequence: literals, optional single spaces (sp)
// and the two bounded strings (the command needs a first character, which
// is not a space).
enum class StepKind { literal, space, command, explanation };
struct Step {
  StepKind kind;
  std::string_view text;  // literal only
};
constexpr std::array<Step, 17> k_steps{{
    {StepKind::literal, "{"},
    {StepKind::space, ""},
    {StepKind::literal, "\"command\""},
    {StepKind::space, ""},
    {StepKind::literal, ":"},
    {StepKind::space, ""},
    {StepKind::command, ""},
    {StepKind::space, ""},
    {StepKind::literal, ","},
    {StepKind::space, ""},
    {StepKind::literal, "\"explanation\""},
    {StepKind::space, ""},
    {StepKind::literal, ":"},
    {StepKind::space, ""},
    {StepKind::explanation, ""},
    {StepKind::space, ""},
    {StepKind::literal, "}"},
}};

}  // namespace

void AnswerShape::feed(std::string_view piece) {
  for (const char c : piece) {
    if (!m_lost && !step(static_cast<unsigned char>(c))) m_lost = true;
  }
}

bool AnswerShape::accepts(std::string_view piece) const {
  if (m_lost) return false;
  AnswerShape after = *this;
  for (const char c : piece) {
    if (!after.step(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool AnswerShape::step(unsigned char c) {
  while (m_step < k_steps.size()) {
    const Step& s = k_steps[m_step];
    if (s.kind == StepKind::space) {
      ++m_step;
      if (c == ' ') return true;
      continue;  // the space was left out: c belongs to the next step
    }
    if (s.kind == StepKind::literal) {
      if (static_cast<unsigned char>(s.text[m_offset]) != c) return false;
      if (++m_offset == s.text.size()) {
        m_offset = 0;
        ++m_step;
      }
      return true;
    }
    return string_byte(c);
  }
  return false;  // nothing comes after the closing brace
}

bool AnswerShape::string_byte(unsigned char c) {
  const bool command = k_steps[m_step].kind == StepKind::command;
  if (!m_in_string) {
    m_in_string = c == '"';
    m_units = 0;
    return m_in_string;
  }
  if (m_escaped) {
    m_escaped = false;
    ++m_units;
    return c == '"' || c == '\\' || c == '/';
  }
  if (c == '"') {
    if (command && m_units == 0) return false;  // the command is never empty
    m_in_string = false;
    ++m_step;
    return true;
  }
  if (m_units >= k_max_field) return false;
  if (c == '\\') {
    m_escaped = true;
    return true;
  }
  if (command && m_units == 0 && c == ' ') return false;
  ++m_units;
  return is_plain_string_byte(c);
}

std::optional<std::uint32_t> AnswerShape::state_key() const {
  if (m_lost || m_escaped) return std::nullopt;
  const bool at_edge = m_units == 0 || m_units >= k_max_field;
  if (m_in_string && !at_edge) return std::nullopt;
  return static_cast<std::uint32_t>((m_step << 12) | (m_offset << 4) | (m_in_string ? 4U : 0U) |
                                    (m_units == 0 ? 2U : 0U) | (m_units >= k_max_field ? 1U : 0U));
}

std::optional<std::size_t> AnswerShape::string_room() const {
  if (m_lost || !m_in_string || m_escaped || m_units == 0) return std::nullopt;
  return k_max_field - m_units;
}

std::bitset<256> AnswerShape::next_bytes() const {
  std::bitset<256> out;
  if (m_lost) return out;
  for (int c = 0; c < 256; ++c) {
    const char byte = static_cast<char>(c);
    if (accepts(std::string_view(&byte, 1))) out.set(static_cast<std::size_t>(c));
  }
  return out;
}

}  // namespace cmdai::llm
