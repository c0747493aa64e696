#include "llm/command_grammar.h"

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

}  // namespace cmdai::llm
