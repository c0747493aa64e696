#pragma once
// Internal to the shell module: the recursive-descent parser shared by
// parser.cpp (lists, pipelines, commands) and word_reader.cpp (words,
// quoting, expansions). Not part of the module's interface.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shell/ast.h"

namespace cmdai::shell::detail {

// Thrown inside the parser and caught at parse(): the text is not a command
// line the shell would run.
struct SyntaxError {
  std::string message;
  std::size_t offset = 0;
};

enum class Until { end, close_paren, close_brace, case_arm };

struct PendingHeredoc {
  std::string delimiter;
  bool strip_tabs = false;
  std::size_t id = 0;
};

class Parser {
 public:
  // base: offset of text inside the outermost text, so spans stay absolute.
  Parser(std::string_view text, std::size_t base, std::size_t depth, std::size_t max_depth)
      : m_text(text), m_base(base), m_depth(depth), m_max_depth(max_depth) {}

  Script parse_all();

  // Filled while parsing; heredoc_id - 1 indexes it.
  std::vector<std::string> heredoc_bodies;

 private:
  // parser.cpp
  Script parse_list(Until until);
  bool at_list_end(Until until);
  Pipeline parse_pipeline();
  Command parse_command();
  Command parse_simple(Command command);
  bool handle_keyword(const Word& word, Command& command, bool& done);
  Command parse_for();
  Command parse_case();
  Command parse_test_clause(Word first);
  Command parse_arithmetic_command();
  Command parse_nested(CommandKind kind, Until until, char open);
  void parse_redirects_after(Command& command);
  bool try_redirect(std::vector<Redirect>& out);
  void read_heredoc_bodies();
  void skip_blanks();
  void skip_blanks_and_newlines();
  std::string_view peek_keyword() const;
  void consume(std::size_t count) { m_pos = std::min(m_pos + count, m_text.size()); }
  void enter();
  void leave() { --m_depth; }

  // word_reader.cpp
  bool at_word_start() const;
  Word read_word();
  void read_single_quoted(Word& word);
  void read_ansi_c(Word& word);
  void read_double_quoted(Word& word);
  bool read_dollar(Word& word, bool in_quotes);
  void read_braced_parameter(Word& word, std::size_t start);
  void read_command_substitution(Word& word, std::size_t start);
  void read_backtick(Word& word);
  void read_process_substitution(Word& word);
  // $(...), <(...), >(...): the two-character opener at start, a nested list, ')'.
  void read_paren_substitution(Word& word, std::size_t start, SubstitutionKind kind, const char* unterminated);
  void read_balanced_raw(Word& word, char open, char close);
  Script parse_child(std::string_view text, std::size_t base);
  std::size_t arithmetic_end(std::size_t from) const;

  [[noreturn]] void error(std::string message) const;
  bool at_end() const { return m_pos >= m_text.size(); }
  char peek(std::size_t ahead = 0) const { return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0'; }
  Span span_from(std::size_t begin) const { return {m_base + begin, m_base + m_pos}; }

  std::string_view m_text;
  std::size_t m_base = 0;
  std::size_t m_pos = 0;
  std::size_t m_depth = 0;
  std::size_t m_max_depth = 0;
  std::vector<PendingHeredoc> m_pending;
  std::size_t m_unquoted_prefix = 0;  // of the last word read: bytes before any quote or expansion
  bool m_split_after = false;         // the last word ended at an unquoted $IFS
  bool m_keyword_seen = false;        // the current command consumed a reserved word
  bool skip_ifs();
};

bool is_metachar(char c);
bool is_assignment(std::string_view text, std::size_t unquoted_prefix);

}  // namespace cmdai::shell::detail
