// Lists, pipelines, compound commands, redirections and heredocs.

#include "shell/parser.h"

#include <cctype>

#include "shell/parser_state.h"

namespace cmdai::shell {
namespace detail {
namespace {

bool is_keyword_char(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '{' || c == '}' || c == '!' || c == '[' || c == ']';
}

bool is_flattened_keyword(std::string_view w) {
  return w == "if" || w == "then" || w == "else" || w == "elif" || w == "fi" || w == "while" || w == "until" ||
         w == "do" || w == "done";
}

void fill_heredocs(Script& script, const std::vector<std::string>& bodies);

void fill_word(Word& word, const std::vector<std::string>& bodies) {
  for (auto& sub : word.substitutions) fill_heredocs(sub.body.front(), bodies);
}

void fill_words(std::vector<Word>& words, const std::vector<std::string>& bodies) {
  for (auto& word : words) fill_word(word, bodies);
}

void fill_heredocs(Script& script, const std::vector<std::string>& bodies) {
  for (auto& item : script.items) {
    for (auto& command : item.pipeline.commands) {
      for (auto& redirect : command.redirects) {
        if (redirect.heredoc_id > 0 && redirect.heredoc_id <= bodies.size()) {
          redirect.heredoc_body = bodies[redirect.heredoc_id - 1];
        }
        fill_word(redirect.target, bodies);
      }
      fill_words(command.words, bodies);
      fill_words(command.assignments, bodies);
      for (auto& body : command.body) fill_heredocs(body, bodies);
    }
  }
}

}  // namespace

Script Parser::parse_all() {
  Script script = parse_list(Until::end);
  if (!m_pending.empty()) read_heredoc_bodies();
  fill_heredocs(script, heredoc_bodies);
  return script;
}

void Parser::skip_blanks() {
  while (!at_end()) {
    const char c = peek();
    if (c == ' ' || c == '\t' || c == '\r') {
      consume(1);
    } else if (c == '\\' && peek(1) == '\n') {
      consume(2);
    } else if (c == '#') {
      while (!at_end() && peek() != '\n') consume(1);
    } else {
      return;
    }
  }
}

void Parser::skip_blanks_and_newlines() {
  for (;;) {
    skip_blanks();
    if (peek() != '\n') return;
    consume(1);
    read_heredoc_bodies();
  }
}

std::string_view Parser::peek_keyword() const {
  std::size_t end = m_pos;
  while (end < m_text.size() && is_keyword_char(m_text[end])) ++end;
  if (end == m_pos) return {};
  if (end < m_text.size() && !is_metachar(m_text[end])) return {};
  return m_text.substr(m_pos, end - m_pos);
}

bool Parser::at_list_end(Until until) {
  if (at_end()) {
    if (until != Until::end) error("unexpected end of input: a ( { case or $( is not closed");
    return true;
  }
  const char c = peek();
  if (c == ')') {
    if (until == Until::close_paren || until == Until::case_arm) return true;
    error("unmatched ')'");
  }
  const auto keyword = peek_keyword();
  if (keyword == "}") {
    if (until == Until::close_brace) return true;
    error("unmatched '}'");
  }
  if (until == Until::case_arm && (keyword == "esac" || (c == ';' && (peek(1) == ';' || peek(1) == '&')))) return true;
  return false;
}

Script Parser::parse_list(Until until) {
  Script script;
  const std::size_t start = m_pos;
  for (;;) {
    skip_blanks_and_newlines();
    if (at_list_end(until)) break;
    ListItem item;
    item.pipeline = parse_pipeline();
    skip_blanks();
    const char c = peek();
    if (c == '&' && peek(1) == '&') {
      item.next = Connector::and_if;
    } else if (c == '|' && peek(1) == '|') {
      item.next = Connector::or_if;
    } else if (c == ';' && peek(1) != ';' && peek(1) != '&') {
      item.next = Connector::sequence;
    } else if (c == '&') {
      item.next = Connector::background;
    } else if (c == '\n') {
      item.next = Connector::sequence;
    }
    const bool binary = item.next == Connector::and_if || item.next == Connector::or_if;
    consume(binary ? 2 : (item.next == Connector::none ? 0 : 1));
    if (c == '\n') read_heredoc_bodies();
    const bool empty = item.pipeline.commands.size() == 1 && item.pipeline.commands[0].words.empty() &&
                       item.pipeline.commands[0].assignments.empty() && item.pipeline.commands[0].redirects.empty() &&
                       item.pipeline.commands[0].body.empty();
    const Connector next = item.next;
    if (!empty) script.items.push_back(std::move(item));
    if (binary) {
      skip_blanks_and_newlines();
      if (at_end() || at_list_end(until)) error("the command ends with '&&' or '||'");
    } else if (next == Connector::none) {
      skip_blanks();
      if (!at_list_end(until)) error(std::string("syntax error near '") + peek() + "'");
      break;
    }
  }
  script.span = span_from(start);
  return script;
}

Pipeline Parser::parse_pipeline() {
  Pipeline pipeline;
  const std::size_t start = m_pos;
  skip_blanks();
  if (peek_keyword() == "!") {
    pipeline.negated = true;
    consume(1);
  }
  for (;;) {
    pipeline.commands.push_back(parse_command());
    skip_blanks();
    if (peek() != '|' || peek(1) == '|') break;
    consume(peek(1) == '&' ? 2 : 1);
    skip_blanks_and_newlines();
    if (at_end() || (is_metachar(peek()) && peek() != '<' && peek() != '>' && peek() != '(')) {
      error("a pipe with no command after it");
    }
  }
  pipeline.span = span_from(start);
  return pipeline;
}

Command Parser::parse_command() {
  skip_blanks();
  const std::size_t start = m_pos;
  Command command;
  if (peek() == '(' && peek(1) == '(') {
    command = parse_arithmetic_command();
  } else if (peek() == '(') {
    command = parse_nested(CommandKind::subshell, Until::close_paren, '(');
  } else if (peek_keyword() == "{") {
    command = parse_nested(CommandKind::group, Until::close_brace, '{');
  } else {
    return parse_simple(std::move(command));
  }
  parse_redirects_after(command);
  command.span = span_from(start);
  return command;
}

Command Parser::parse_nested(CommandKind kind, Until until, char open) {
  Command command;
  command.kind = kind;
  consume(1);
  enter();
  command.body.push_back(parse_list(until));
  leave();
  if (open == '(' && peek() != ')') error("unterminated subshell");
  consume(1);
  return command;
}

Command Parser::parse_arithmetic_command() {
  Command command;
  command.kind = CommandKind::arithmetic;
  const std::size_t end = arithmetic_end(m_pos);
  Word word;
  word.text = std::string(m_text.substr(m_pos, end - m_pos));
  word.unset_value = word.text;
  word.span = {m_base + m_pos, m_base + end};
  command.words.push_back(std::move(word));
  m_pos = end;
  return command;
}

void Parser::parse_redirects_after(Command& command) {
  for (;;) {
    skip_blanks();
    if (!try_redirect(command.redirects)) return;
  }
}

Command Parser::parse_simple(Command command) {
  std::size_t start = m_pos;
  bool done = false;
  m_keyword_seen = false;
  while (!done) {
    skip_blanks();
    if (at_end()) break;
    if (try_redirect(command.redirects)) continue;
    const char c = peek();
    if ((c == '<' || c == '>') && peek(1) == '(') {
      Word word;
      read_process_substitution(word);
      word.span = span_from(m_pos - (word.text.size()));
      command.words.push_back(std::move(word));
      continue;
    }
    if (c == '(' && command.words.size() == 1 && command.assignments.empty()) {
      consume(1);
      skip_blanks();
      if (peek() != ')') error("expected ')' after a function name");
      consume(1);
      skip_blanks_and_newlines();
      command.kind = CommandKind::function_def;
      command.function_name = command.words.front().text;
      command.words.clear();
      enter();
      command.body.push_back(
          Script{{ListItem{Pipeline{{parse_command()}, false, span_from(m_pos)}, Connector::none}}, span_from(m_pos)});
      leave();
      break;
    }
    if (is_metachar(c)) break;
    Word word = read_word();
    const std::size_t prefix = m_unquoted_prefix;
    if (command.words.empty() && !word.quoted && !word.has_parameter && !word.has_substitution) {
      if (handle_keyword(word, command, done)) {
        skip_blanks();
        if (command.words.empty()) start = m_pos;  // the command begins after if/then/do ...
        continue;
      }
    }
    if (command.words.empty() && is_assignment(word.text, prefix)) {
      command.assignments.push_back(std::move(word));
    } else {
      command.words.push_back(std::move(word));
    }
  }
  command.span = span_from(start);
  const bool empty = command.words.empty() && command.assignments.empty() && command.redirects.empty() &&
                     command.body.empty() && command.kind == CommandKind::simple;
  if (empty && !m_keyword_seen) {
    if (at_end()) error("a command was expected");
    error(std::string("syntax error near '") + peek() + "'");
  }
  return command;
}

// Returns true when word was a reserved word that has been handled.
bool Parser::handle_keyword(const Word& word, Command& command, bool& done) {
  const std::string& w = word.text;
  if (!command.assignments.empty()) return false;
  if (is_flattened_keyword(w)) {
    m_keyword_seen = true;
    // Conditions and bodies become separate list items: end this (empty)
    // command, the list goes on with what follows the keyword.
    done = w == "fi" || w == "done";
    if (w == "fi" || w == "done") parse_redirects_after(command);
    return true;
  }
  if (w == "for" || w == "select") {
    command = parse_for();
    done = true;
    return true;
  }
  if (w == "case") {
    command = parse_case();
    done = true;
    return true;
  }
  if (w == "function") {
    skip_blanks();
    Word name = read_word();
    skip_blanks();
    if (peek() == '(' && peek(1) == ')') consume(2);
    skip_blanks_and_newlines();
    command.kind = CommandKind::function_def;
    command.function_name = name.text;
    enter();
    command.body.push_back(Script{{ListItem{Pipeline{{parse_command()}, false, {}}, Connector::none}}, {}});
    leave();
    done = true;
    return true;
  }
  if (w == "[[") {
    command = parse_test_clause(word);
    done = true;
    return true;
  }
  return false;
}

Command Parser::parse_for() {
  Command command;
  Word keyword;
  keyword.text = keyword.unset_value = "for";
  command.words.push_back(keyword);
  skip_blanks();
  if (peek() == '(' && peek(1) == '(') {
    m_pos = arithmetic_end(m_pos);
    return command;
  }
  while (!at_end() && peek() != ';' && peek() != '\n' && peek() != '&') {
    if (!at_word_start()) error("unexpected operator in a for loop header");
    command.words.push_back(read_word());
    skip_blanks();
  }
  return command;
}

Command Parser::parse_case() {
  Command command;
  command.kind = CommandKind::group;
  skip_blanks();
  command.words.push_back(read_word());  // the subject, kept for expansions in it
  skip_blanks_and_newlines();
  if (peek_keyword() != "in") error("expected 'in' after case WORD");
  consume(2);
  enter();
  Script arms;
  for (;;) {
    skip_blanks_and_newlines();
    if (at_end()) error("unterminated case: expected 'esac'");
    if (peek_keyword() == "esac") {
      consume(4);
      break;
    }
    if (peek() == '(') consume(1);
    while (!at_end() && peek() != ')') {
      if (peek() == '|' || peek() == ' ' || peek() == '\t') {
        consume(1);
      } else if (at_word_start()) {
        read_word();
      } else {
        error("unexpected character in a case pattern");
      }
    }
    if (at_end()) error("unterminated case pattern");
    consume(1);
    Script arm = parse_list(Until::case_arm);
    for (auto& item : arm.items) arms.items.push_back(std::move(item));
    if (peek() == ';') consume(peek(2) == '&' ? 3 : 2);
  }
  leave();
  command.body.push_back(std::move(arms));
  return command;
}

Command Parser::parse_test_clause(Word first) {
  Command command;
  command.words.push_back(std::move(first));
  for (;;) {
    skip_blanks_and_newlines();
    if (at_end()) error("unterminated [[ ... ]]");
    if (peek_keyword() == "]]") {
      Word close;
      close.text = close.unset_value = "]]";
      consume(2);
      command.words.push_back(close);
      return command;
    }
    if (is_metachar(peek())) {
      Word op;
      while (!at_end() && std::string_view("<>()&|").find(peek()) != std::string_view::npos) {
        op.text += peek();
        consume(1);
      }
      if (op.text.empty()) consume(1);
      op.unset_value = op.text;
      command.words.push_back(std::move(op));
    } else {
      command.words.push_back(read_word());
    }
  }
}

bool Parser::try_redirect(std::vector<Redirect>& out) {
  std::size_t i = m_pos;
  int fd = -1;
  while (i < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[i]))) ++i;
  if (i > m_pos && i - m_pos < 4 && i < m_text.size() && (m_text[i] == '<' || m_text[i] == '>')) {
    fd = std::stoi(std::string(m_text.substr(m_pos, i - m_pos)));
  } else {
    i = m_pos;
  }
  const std::string_view rest = m_text.substr(i);
  struct Op {
    std::string_view text;
    RedirectOp op;
  };
  static constexpr Op k_ops[] = {
      {"&>>", RedirectOp::append_all}, {"<<<", RedirectOp::herestring}, {"<<-", RedirectOp::heredoc},
      {"&>", RedirectOp::write_all},   {">>", RedirectOp::append},      {">|", RedirectOp::clobber},
      {"<>", RedirectOp::read_write},  {"<&", RedirectOp::dup_read},    {">&", RedirectOp::dup_write},
      {"<<", RedirectOp::heredoc},     {"<", RedirectOp::read},         {">", RedirectOp::write}};
  for (const auto& op : k_ops) {
    if (rest.substr(0, op.text.size()) != op.text) continue;
    if (fd >= 0 && op.text[0] == '&') return false;
    if ((op.text == "<" || op.text == ">") && rest.size() > 1 && rest[1] == '(') return false;
    const std::size_t start = m_pos;
    m_pos = i + op.text.size();
    skip_blanks();
    if (!at_word_start()) error("a redirection with no target");
    Redirect redirect;
    redirect.op = op.op;
    redirect.fd = fd;
    redirect.target = read_word();
    redirect.span = span_from(start);
    if (op.op == RedirectOp::heredoc) {
      redirect.heredoc_expands = !redirect.target.quoted;
      redirect.heredoc_id = heredoc_bodies.size() + m_pending.size() + 1;
      m_pending.push_back({redirect.target.text, op.text == "<<-", redirect.heredoc_id});
    }
    out.push_back(std::move(redirect));
    return true;
  }
  return false;
}

void Parser::read_heredoc_bodies() {
  for (const auto& pending : m_pending) {
    std::string body;
    while (!at_end()) {
      auto line_end = m_text.find('\n', m_pos);
      if (line_end == std::string_view::npos) line_end = m_text.size();
      std::string_view line = m_text.substr(m_pos, line_end - m_pos);
      m_pos = std::min(line_end + 1, m_text.size());
      if (pending.strip_tabs) {
        while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
      }
      if (line == pending.delimiter) break;
      body += line;
      body += '\n';
    }
    heredoc_bodies.resize(std::max(heredoc_bodies.size(), pending.id));
    heredoc_bodies[pending.id - 1] = std::move(body);
  }
  m_pending.clear();
}

}  // namespace detail

Result<Script> parse(std::string_view text, const ParseOptions& options) {
  detail::Parser parser(text, 0, 0, options.max_depth);
  try {
    return parser.parse_all();
  } catch (const detail::SyntaxError& e) {
    return fail(ErrorCode::invalid_argument, e.message + " (at byte " + std::to_string(e.offset) + ")");
  }
}

std::vector<std::string> argv_of(const Command& command) {
  std::vector<std::string> out;
  out.reserve(command.words.size());
  for (const auto& word : command.words) out.push_back(word.text);
  return out;
}

}  // namespace cmdai::shell
