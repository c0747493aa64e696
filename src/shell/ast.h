#pragma once
// The syntax tree shell::parse() produces: what the shell would run, with
// every word de-quoted and every part located in the parsed text.
//
// Nested scripts (command and process substitutions, subshells, groups,
// function bodies) are held in one-element vectors so the types stay
// copyable while Script is still incomplete.

#include <cstddef>
#include <string>
#include <vector>

namespace cmdai::shell {

struct Span {
  std::size_t begin = 0;  // byte offsets into the parsed text
  std::size_t end = 0;
};

struct Script;

enum class SubstitutionKind {
  command,      // $(...)
  backtick,     // `...`
  process_in,   // <(...)
  process_out,  // >(...)
};

struct Substitution {
  SubstitutionKind kind = SubstitutionKind::command;
  Span span;
  std::vector<Script> body;  // exactly one element
};

struct Word {
  std::string text;         // de-quoted; expansions kept as written ($X, ${X}, $(...))
  std::string unset_value;  // text with every parameter expansion empty, but $HOME/${HOME} -> ~
  Span span;
  bool quoted = false;            // some part was quoted or escaped
  bool has_parameter = false;     // contains $NAME or ${...}
  bool has_substitution = false;  // contains $(...), `...`, <(...) or >(...)
  bool has_glob = false;          // unquoted * ? or [
  bool has_brace = false;         // unquoted {a,b} brace expansion
  bool has_ansi_c = false;        // used $'...'
  std::vector<Substitution> substitutions;
};

enum class RedirectOp {
  read,        // <
  write,       // >
  append,      // >>
  clobber,     // >|
  read_write,  // <>
  dup_read,    // <&
  dup_write,   // >&
  write_all,   // &>
  append_all,  // &>>
  heredoc,     // << and <<-
  herestring,  // <<<
};

struct Redirect {
  RedirectOp op = RedirectOp::write;
  int fd = -1;                  // explicit descriptor before the operator, -1 if none
  Word target;                  // file, descriptor or here-string; the delimiter for heredocs
  std::string heredoc_body;     // the lines of a heredoc
  bool heredoc_expands = true;  // unquoted delimiter: the body undergoes expansion
  std::size_t heredoc_id = 0;   // order of the heredoc in its text, from 1; 0 if not a heredoc
  Span span;
};

enum class CommandKind {
  simple,        // [assignments] words [redirects]
  subshell,      // ( list )
  group,         // { list; }
  function_def,  // name() body
  arithmetic,    // (( expr )) and for (( ;; ))
};

struct Command {
  CommandKind kind = CommandKind::simple;
  std::vector<Word> assignments;  // leading NAME=value / NAME+=value words
  std::vector<Word> words;        // argv, de-quoted
  std::vector<Redirect> redirects;
  std::vector<Script> body;   // subshell, group, function_def: one element
  std::string function_name;  // function_def only
  Span span;
};

// Commands joined by | (or |&).
struct Pipeline {
  std::vector<Command> commands;
  bool negated = false;  // leading !
  Span span;
};

enum class Connector { none, sequence, and_if, or_if, background };

// One pipeline and how it connects to the next one.
struct ListItem {
  Pipeline pipeline;
  Connector next = Connector::none;
};

struct Script {
  std::vector<ListItem> items;
  Span span;
};

}  // namespace cmdai::shell
