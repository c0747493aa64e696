// Words: quoting, escapes, $'...', parameter expansions, command, backtick
// and process substitutions. Each byte is consumed once.

#include <cctype>

#include "core/utf8.h"
#include "shell/parser_state.h"

namespace cmdai::shell::detail {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

int digit_value(char c, int radix) {
  int v = -1;
  if (c >= '0' && c <= '9') v = c - '0';
  if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
  if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
  return v < radix ? v : -1;
}

void add_literal(Word& word, char c) {
  word.text += c;
  word.unset_value += c;
}

void add_literal(Word& word, std::string_view s) {
  word.text += s;
  word.unset_value += s;
}

}  // namespace

bool is_metachar(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' ||
         c == ')' || c == '\r';
}

bool is_assignment(std::string_view text, std::size_t unquoted_prefix) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq > unquoted_prefix) return false;
  const std::size_t name_end = (text[eq - 1] == '+') ? eq - 1 : eq;
  if (name_end == 0 || std::isdigit(static_cast<unsigned char>(text[0])) != 0) return false;
  for (std::size_t i = 0; i < name_end; ++i) {
    if (!is_name_char(text[i])) return false;
  }
  return true;
}

void Parser::error(std::string message) const { throw SyntaxError{std::move(message), m_base + m_pos}; }

void Parser::enter() {
  if (++m_depth > m_max_depth) error("nesting is deeper than " + std::to_string(m_max_depth) + " levels");
}

bool Parser::at_word_start() const { return !at_end() && !is_metachar(peek()); }

Word Parser::read_word() {
  Word word;
  const std::size_t start = m_pos;
  bool literal = true;              // nothing quoted or expanded yet
  std::size_t unquoted_prefix = 0;  // nested substitutions read words too: keep ours local
  m_split_after = false;
  bool saw_open_brace = false;
  while (!at_end()) {
    const char c = peek();
    if (is_metachar(c)) {
      const bool extglob =
          c == '(' && !word.text.empty() && std::string_view("@!+*?").find(word.text.back()) != std::string_view::npos;
      const bool array = c == '(' && literal && is_assignment(word.text, word.text.size()) && word.text.back() == '=';
      if (!extglob && !array) break;
      if (extglob) word.has_glob = true;
      read_balanced_raw(word, '(', ')');
      continue;
    }
    if (c == '\\') {
      literal = false;
      word.quoted = true;
      if (peek(1) == '\n') {
        consume(2);
        continue;
      }
      if (m_pos + 1 < m_text.size()) add_literal(word, peek(1));
      consume(2);
    } else if (c == '\'') {
      literal = false;
      read_single_quoted(word);
    } else if (c == '"') {
      literal = false;
      read_double_quoted(word);
    } else if (c == '$') {
      if (peek(1) == '\'' || peek(1) == '"' || peek(1) == '(' || peek(1) == '{' || is_name_char(peek(1)) ||
          std::string_view("@*#?$!-").find(peek(1)) != std::string_view::npos) {
        literal = false;
      }
      if (peek(1) == '\'') {
        consume(1);
        read_ansi_c(word);
      } else if (peek(1) == '"') {
        consume(1);
        read_double_quoted(word);
      } else if (skip_ifs()) {
        m_split_after = true;  // unquoted $IFS splits the word here
        if (!word.text.empty() || word.quoted) break;
      } else {
        read_dollar(word, false);
      }
    } else if (c == '`') {
      literal = false;
      read_backtick(word);
    } else {
      if (c == '*' || c == '?' || c == '[') word.has_glob = true;
      if (c == '{') saw_open_brace = true;
      if (c == ',' && saw_open_brace) word.has_brace = true;
      add_literal(word, c);
      consume(1);
    }
    if (literal) unquoted_prefix = word.text.size();
  }
  m_unquoted_prefix = unquoted_prefix;
  word.span = span_from(start);
  return word;
}

void Parser::read_single_quoted(Word& word) {
  const auto close = m_text.find('\'', m_pos + 1);
  if (close == std::string_view::npos) error("unterminated single quote");
  add_literal(word, m_text.substr(m_pos + 1, close - m_pos - 1));
  word.quoted = true;
  m_pos = close + 1;
}

void Parser::read_ansi_c(Word& word) {
  consume(1);  // the quote; the '$' is already consumed
  word.quoted = true;
  word.has_ansi_c = true;
  while (!at_end() && peek() != '\'') {
    if (peek() != '\\' || m_pos + 1 >= m_text.size()) {
      add_literal(word, peek());
      consume(1);
      continue;
    }
    const char e = peek(1);
    consume(2);
    static constexpr std::string_view k_from = "abeEfnrtv\\'\"?";
    static constexpr std::string_view k_to = "\a\b\x1b\x1b\f\n\r\t\v\\'\"?";
    if (const auto at = k_from.find(e); at != std::string_view::npos) {
      add_literal(word, k_to[at]);
    } else if (e >= '0' && e <= '7') {
      unsigned long v = static_cast<unsigned long>(e - '0');
      for (int i = 0; i < 2 && digit_value(peek(), 8) >= 0; ++i, consume(1)) v = v * 8 + digit_value(peek(), 8);
      add_literal(word, static_cast<char>(v & 0xFF));
    } else if (e == 'x' || e == 'u' || e == 'U') {
      const int max_digits = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
      unsigned long v = 0;
      int n = 0;
      for (; n < max_digits && digit_value(peek(), 16) >= 0; ++n, consume(1)) v = v * 16 + digit_value(peek(), 16);
      if (n == 0) {
        add_literal(word, std::string("\\") + e);
      } else if (e == 'x') {
        add_literal(word, static_cast<char>(v));
      } else {
        // Like bash, a code point that has no UTF-8 form becomes U+FFFD.
        const std::string utf8 = v > 0x10FFFF ? std::string() : encode_utf8(static_cast<char32_t>(v));
        add_literal(word, utf8.empty() ? std::string("\xEF\xBF\xBD") : utf8);
      }
    } else if (e == 'c' && !at_end()) {
      add_literal(word, static_cast<char>(peek() & 0x1F));
      consume(1);
    } else {
      add_literal(word, std::string("\\") + e);
    }
  }
  if (at_end()) error("unterminated $'...' quote");
  consume(1);
}

void Parser::read_double_quoted(Word& word) {
  consume(1);
  word.quoted = true;
  while (!at_end()) {
    const char c = peek();
    if (c == '"') {
      consume(1);
      return;
    }
    if (c == '\\' && m_pos + 1 < m_text.size()) {
      const char next = peek(1);
      if (next == '\n') {
      } else if (next == '"' || next == '\\' || next == '$' || next == '`') {
        add_literal(word, next);
      } else {
        add_literal(word, c);
        add_literal(word, next);
      }
      consume(2);
    } else if (c == '$') {
      read_dollar(word, true);
    } else if (c == '`') {
      read_backtick(word);
    } else {
      add_literal(word, c);
      consume(1);
    }
  }
  error("unterminated double quote");
}

// At an unquoted '$': consumes $IFS or ${IFS...} (the shell splits the word
// there, with the default IFS) and returns true; otherwise consumes nothing.
bool Parser::skip_ifs() {
  const std::string_view rest = m_text.substr(m_pos);
  if (rest.starts_with("$IFS") && (rest.size() == 4 || !is_name_char(rest[4]))) {
    consume(4);
    return true;
  }
  if (rest.starts_with("${IFS") && rest.size() > 5 && !is_name_char(rest[5])) {
    const auto close = rest.find('}');
    if (close == std::string_view::npos) return false;
    consume(close + 1);
    return true;
  }
  return false;
}

// At '$'. Returns true when the expansion was an unquoted $IFS (a field split).
bool Parser::read_dollar(Word& word, bool in_quotes) {
  const std::size_t start = m_pos;
  const char next = peek(1);
  if (next == '(' && peek(2) == '(') {
    const std::size_t end = arithmetic_end(m_pos + 1);
    add_literal(word, m_text.substr(m_pos, end - m_pos));
    m_pos = end;
    return false;
  }
  if (next == '(') {
    read_command_substitution(word, start);
    return false;
  }
  if (next == '{') {
    read_braced_parameter(word, start);
    return !in_quotes && m_text.substr(start, 6) == "${IFS}";
  }
  std::size_t end = m_pos + 1;
  if (is_name_char(next) && !std::isdigit(static_cast<unsigned char>(next))) {
    while (end < m_text.size() && is_name_char(m_text[end])) ++end;
  } else if (std::isdigit(static_cast<unsigned char>(next)) ||
             std::string_view("@*#?$!-").find(next) != std::string_view::npos) {
    end = m_pos + 2;
  } else {
    add_literal(word, '$');
    consume(1);
    return false;
  }
  const std::string_view name = m_text.substr(m_pos + 1, end - m_pos - 1);
  word.text += m_text.substr(m_pos, end - m_pos);
  word.has_parameter = true;
  if (name == "HOME") word.unset_value += '~';
  if (name == "PWD") word.unset_value += '.';
  m_pos = end;
  return !in_quotes && name == "IFS";
}

void Parser::read_braced_parameter(Word& word, std::size_t start) {
  std::size_t i = start + 2;
  int depth = 1;
  while (i < m_text.size() && depth > 0) {
    const char c = m_text[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == '\'') {
      const auto close = m_text.find('\'', i + 1);
      i = close == std::string_view::npos ? m_text.size() : close + 1;
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}') --depth;
    ++i;
  }
  if (depth > 0) error("unterminated ${...}");
  const std::string_view inner = m_text.substr(start + 2, i - start - 3);
  word.text += m_text.substr(start, i - start);
  word.has_parameter = true;
  std::size_t name_end = 0;
  while (name_end < inner.size() && is_name_char(inner[name_end])) ++name_end;
  const std::string_view name = inner.substr(0, name_end);
  std::string_view rest = inner.substr(name_end);
  if (name == "HOME" && rest.empty()) word.unset_value += '~';
  for (std::string_view op : {":-", "-", ":=", "="}) {
    if (rest.substr(0, op.size()) == op) {
      const std::string_view fallback = rest.substr(op.size());
      std::string dequoted;
      for (char c : fallback) {
        if (c != '"' && c != '\'') dequoted += c;
      }
      word.unset_value += dequoted;
      break;
    }
  }
  if (inner.find("$(") != std::string_view::npos || inner.find('`') != std::string_view::npos) {
    enter();
    Substitution sub{SubstitutionKind::command, {m_base + start, m_base + i}, {}};
    sub.body.push_back(parse_child(inner.substr(name_end), m_base + start + 2 + name_end));
    leave();
    word.substitutions.push_back(std::move(sub));
    word.has_substitution = true;
  }
  m_pos = i;
}

void Parser::read_paren_substitution(Word& word, std::size_t start, SubstitutionKind kind, const char* unterminated) {
  consume(2);
  enter();
  Substitution sub;
  sub.kind = kind;
  sub.body.push_back(parse_list(Until::close_paren));
  if (peek() != ')') error(unterminated);
  consume(1);
  leave();
  sub.span = span_from(start);
  add_literal(word, m_text.substr(start, m_pos - start));
  word.has_substitution = true;
  word.substitutions.push_back(std::move(sub));
}

void Parser::read_command_substitution(Word& word, std::size_t start) {
  read_paren_substitution(word, start, SubstitutionKind::command, "unterminated $(...)");
}

void Parser::read_process_substitution(Word& word) {
  const SubstitutionKind kind = peek() == '<' ? SubstitutionKind::process_in : SubstitutionKind::process_out;
  read_paren_substitution(word, m_pos, kind, "unterminated process substitution");
}

void Parser::read_backtick(Word& word) {
  const std::size_t start = m_pos;
  std::string inner;
  std::size_t i = m_pos + 1;
  for (; i < m_text.size() && m_text[i] != '`'; ++i) {
    if (m_text[i] == '\\' && i + 1 < m_text.size()) {
      const char next = m_text[i + 1];
      if (next != '`' && next != '\\' && next != '$') inner += '\\';
      inner += next;
      ++i;
      continue;
    }
    inner += m_text[i];
  }
  if (i >= m_text.size()) error("unterminated backtick substitution");
  enter();
  Substitution sub;
  sub.kind = SubstitutionKind::backtick;
  sub.span = {m_base + start, m_base + i + 1};
  sub.body.push_back(parse_child(inner, m_base + start + 1));
  leave();
  m_pos = i + 1;
  add_literal(word, m_text.substr(start, m_pos - start));
  word.has_substitution = true;
  word.substitutions.push_back(std::move(sub));
}

void Parser::read_balanced_raw(Word& word, char open, char close) {
  int depth = 0;
  const std::size_t start = m_pos;
  while (!at_end()) {
    const char c = peek();
    consume(1);
    if (c == '\\') {
      consume(1);
    } else if (c == open) {
      ++depth;
    } else if (c == close && --depth == 0) {
      add_literal(word, m_text.substr(start, m_pos - start));
      return;
    }
  }
  error(std::string("unterminated '") + open + "'");
}

Script Parser::parse_child(std::string_view text, std::size_t base) {
  Parser child(text, base, m_depth, m_max_depth);
  Script script = child.parse_all();
  return script;
}

// From the first '(' of "((" or "$((": the offset just past the matching "))".
std::size_t Parser::arithmetic_end(std::size_t from) const {
  int depth = 0;
  for (std::size_t i = from; i < m_text.size(); ++i) {
    if (m_text[i] == '(') ++depth;
    if (m_text[i] == ')' && --depth == 0) return i + 1;
  }
  throw SyntaxError{"unterminated arithmetic expression", m_base + from};
}

}  // namespace cmdai::shell::detail
