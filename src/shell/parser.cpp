#include "shell/parser.h"

namespace cmdai::shell {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : m_text(text) {}

  Result<Script> run() {
    Script script;
    SimpleCommand current;
    current.span.begin = 0;
    std::string word;
    bool in_word = false;
    auto finish_word = [&] {
      if (!in_word) return;
      const bool assignment = current.argv.empty() && is_assignment(word);
      (assignment ? current.assignments : current.argv).push_back(std::move(word));
      word.clear();
      in_word = false;
    };
    auto finish_command = [&](Connector connector, std::size_t at) {
      finish_word();
      current.span.end = at;
      if (!current.argv.empty() || !current.assignments.empty()) {
        script.items.push_back({std::move(current), connector});
      } else if (connector == Connector::pipe || connector == Connector::and_if || connector == Connector::or_if) {
        return false;  // "| foo" or "&& foo" with nothing before it
      }
      current = SimpleCommand{};
      current.span.begin = at + 1;
      return true;
    };

    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == '\\') {
        if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] != '\n') word += m_text[m_pos + 1];
        m_pos += 2;
        in_word = true;
      } else if (c == '\'') {
        const auto close = m_text.find('\'', m_pos + 1);
        if (close == std::string_view::npos) return fail(ErrorCode::invalid_argument, "unterminated single quote");
        word += m_text.substr(m_pos + 1, close - m_pos - 1);
        m_pos = close + 1;
        in_word = true;
      } else if (c == '"') {
        auto r = read_double_quoted(word);
        if (!r) return fail(r.error());
        in_word = true;
      } else if (c == ' ' || c == '\t') {
        finish_word();
        ++m_pos;
      } else if (c == '#' && !in_word) {
        while (m_pos < m_text.size() && m_text[m_pos] != '\n') ++m_pos;
      } else if (c == ';' || c == '\n' || c == '&' || c == '|') {
        Connector connector = Connector::sequence;
        std::size_t length = 1;
        if (c == '&' && next_is('&')) {
          connector = Connector::and_if;
          length = 2;
        } else if (c == '|' && next_is('|')) {
          connector = Connector::or_if;
          length = 2;
        } else if (c == '|') {
          connector = Connector::pipe;
        } else if (c == '&') {
          connector = Connector::background;
        }
        if (!finish_command(connector, m_pos)) {
          return fail(ErrorCode::invalid_argument, "syntax error near '" + std::string(1, c) + "'");
        }
        m_pos += length;
      } else {
        word += c;
        ++m_pos;
        in_word = true;
      }
    }
    finish_word();
    current.span.end = m_text.size();
    if (!current.argv.empty() || !current.assignments.empty()) script.items.push_back({std::move(current)});
    if (!script.items.empty() &&
        (script.items.back().next == Connector::pipe || script.items.back().next == Connector::and_if ||
         script.items.back().next == Connector::or_if)) {
      return fail(ErrorCode::invalid_argument, "the command ends with an operator");
    }
    return script;
  }

 private:
  bool next_is(char c) const { return m_pos + 1 < m_text.size() && m_text[m_pos + 1] == c; }

  static bool is_assignment(const std::string& word) {
    const auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    for (std::size_t i = 0; i < eq; ++i) {
      const char c = word[i];
      const bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) return false;
    }
    return true;
  }

  Result<void> read_double_quoted(std::string& word) {
    ++m_pos;
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == '"') {
        ++m_pos;
        return {};
      }
      if (c == '\\' && m_pos + 1 < m_text.size()) {
        const char next = m_text[m_pos + 1];
        if (next == '"' || next == '\\' || next == '$' || next == '`') {
          word += next;
        } else if (next != '\n') {
          word += c;
          word += next;
        }
        m_pos += 2;
        continue;
      }
      word += c;
      ++m_pos;
    }
    return fail(ErrorCode::invalid_argument, "unterminated double quote");
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

Result<Script> parse(std::string_view text, const ParseOptions&) { return Parser(text).run(); }

}  // namespace cmdai::shell
