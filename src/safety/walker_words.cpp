// Walker: command words as the shell will expand them, with what earlier
// commands of the script assigned (shell_variables.h). A command word that
// cannot be resolved is unknown, and unknown is never safe: high when its
// arguments look destructive or the whole command is hidden data, moderate
// otherwise.

#include <algorithm>

#include "safety/known_programs.h"
#include "safety/walker.h"

namespace cmdai::safety {
namespace {

// One level of brace expansion, as the shell does before running anything:
// "{rm,-rf,/}" is three words, "a.{txt,bak}" two.
std::vector<std::string> expand_braces(const shell::Word& word) {
  const std::string& t = word.text;
  const auto open = t.find('{');
  const auto close = open == std::string::npos ? std::string::npos : t.find('}', open);
  if (!word.has_brace || word.quoted || close == std::string::npos || t.find(',', open) > close) return {t};
  std::vector<std::string> out;
  const std::string prefix = t.substr(0, open), suffix = t.substr(close + 1);
  std::size_t start = open + 1;
  for (std::size_t i = start; i <= close; ++i) {
    if (i == close || t[i] == ',') {
      out.push_back(prefix + t.substr(start, i - start) + suffix);
      start = i + 1;
    }
  }
  return out;
}

std::string strip_newlines(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Arguments that would make any program dangerous to guess about: forced or
// recursive flags, or a target that is /, home, a system tree or a disk.
bool looks_destructive(const Call& call, const ValidationContext& context) {
  for (const auto& a : call.args) {
    const std::string& t = a.text;
    const bool short_flags = t.size() > 1 && t[0] == '-' && t[1] != '-';
    if (short_flags && (t.find('r') != std::string::npos || t.find('R') != std::string::npos) &&
        t.find('f') != std::string::npos) {
      return true;
    }
    if (t == "--recursive" || t == "--force" || t == "--no-preserve-root" || t == "-delete" || t.starts_with("of=")) {
      return true;
    }
    if (!t.starts_with("-") && is_catastrophic(resolve(a, context).scope)) return true;
  }
  return false;
}

// "$@", "${@}": inside a function body, the function's own arguments run as a
// command, rated where the function is called. "$1 -rf ~" stays unknown: the
// call site does not show what the body adds.
bool runs_all_arguments(std::string_view text) {
  if (text.size() > 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  if (text.size() > 3 && text.starts_with("${") && text.back() == '}') text = text.substr(2, text.size() - 3);
  if (text.starts_with("$")) text.remove_prefix(1);
  return text == "@" || text == "*";
}

std::vector<std::string> operands_after(const Call& call, std::size_t from) {
  std::vector<std::string> out;
  for (std::size_t i = from; i < call.args.size(); ++i) out.push_back(call.args[i].text);
  return out;
}

bool all_known(const Call& call, std::size_t from) {
  return std::none_of(call.args.begin() + static_cast<long>(std::min(from, call.args.size())), call.args.end(),
                      [](const Arg& a) { return a.dynamic; });
}

}  // namespace

std::vector<SubstitutionOutput> Walker::outputs_of(const shell::Word& word) {
  std::vector<SubstitutionOutput> out;
  if (word.substitutions.empty()) return out;
  for (const auto& [w, facts] : m_word_facts) {
    if (w != &word) continue;
    SubstitutionOutput o;
    if (facts.output) o.text = strip_newlines(*facts.output);
    o.hidden = facts.decodes || facts.downloads_to_stdout || facts.reads_data || facts.emits_secret;
    out.push_back(std::move(o));
  }
  return out;
}

// Leading words that expand to nothing disappear: "$SUDO rm -rf /" runs rm
// when SUDO is empty, so it is rated as rm (and as possibly something else).
std::size_t Walker::first_command_word(const shell::Command& command, shell::Span span) {
  std::size_t first = 0;
  for (; first < command.words.size(); ++first) {
    const auto& w = command.words[first];
    if ((!w.has_parameter && !w.has_substitution) || w.has_brace) break;
    const Expansion e = m_vars.expand(w, outputs_of(w));
    if (!e.fields.empty()) break;
    if (e.complete) continue;
    if (first + 1 >= command.words.size() || w.quoted || w.has_substitution) break;
    if (command.words[first + 1].text.starts_with("-")) break;  // "$TOOL -rf x": the variable is the program
    add_at("shell.dynamic_command", span, "'" + w.text + "' may be empty or another program");
    m_dynamic = true;
  }
  return first;
}

void Walker::append_args(const shell::Word& w, std::vector<Arg>& args) {
  if (w.has_brace) {
    for (auto& text : expand_braces(w)) args.push_back({text, text, w.has_parameter, nullptr});
    return;
  }
  if (!w.has_parameter && !w.has_substitution) return args.push_back({w.text, w.unset_value, false, &w});
  const Expansion e = m_vars.expand(w, outputs_of(w));
  if (e.complete) {
    for (const auto& field : e.fields) args.push_back({field, field, false, &w});
    return;
  }
  std::string value;
  for (const auto& field : e.fields) value += (value.empty() ? "" : " ") + field;
  args.push_back({w.text, value, true, &w});
}

// The program a command word names, with the words it brings along in extra
// ("X='rm -rf'; $X /"). unknown: the word could not be resolved; hidden: it
// came from data cmdai cannot see.
std::string Walker::resolve_program(const shell::Word& w0, shell::Span span, std::vector<Arg>& extra, bool& unknown,
                                    bool& hidden) {
  if (w0.has_brace) {
    auto words = expand_braces(w0);
    for (std::size_t i = 1; i < words.size(); ++i) extra.push_back({words[i], words[i], false, nullptr});
    return words.front();
  }
  if (!w0.has_parameter && !w0.has_substitution) return w0.unset_value;
  if (w0.has_substitution && substitution_facts(Arg{w0.text, w0.unset_value, true, &w0}).downloads_to_stdout) {
    add_at("exec.remote_code", span, "runs the output of a download");
    return {};
  }
  const Expansion e = m_vars.expand(w0, outputs_of(w0));
  unknown = !e.complete;
  hidden = e.hidden;
  if (e.fields.empty() || (!e.complete && w0.has_substitution)) return {};
  for (std::size_t i = 1; i < e.fields.size(); ++i) extra.push_back({e.fields[i], e.fields[i], !e.complete, nullptr});
  return e.fields.front();
}

Call Walker::build_call(const shell::Command& command, std::size_t first, shell::Span span, const Frame& frame,
                        Facts& facts) {
  Call call;
  bool unknown = false, hidden = false;
  const shell::Word& w0 = command.words[first];
  const std::string program_text = resolve_program(w0, span, call.args, unknown, hidden);
  for (std::size_t i = first + 1; i < command.words.size(); ++i) append_args(command.words[i], call.args);
  set_program(call, program_text);
  call.span = span;
  call.node = &command;
  call.elevated = frame.elevated;
  call.remote = frame.remote;
  if (program_text.find('/') != std::string::npos) facts.executed_files.push_back(program_text);
  if (unknown && !frame.function.empty() && runs_all_arguments(w0.text)) {
    m_runs_arguments.push_back(frame.function);
  } else if (unknown) {
    report_unknown_program(call, w0, hidden);
  }
  return call;
}

void Walker::report_unknown_program(const Call& call, const shell::Word& w0, bool hidden) {
  m_dynamic = true;
  const std::string signal = "'" + w0.text + "'";
  if (hidden) return add("shell.hidden_command", call, signal + " holds data cmdai cannot see", {});
  if (looks_destructive(call, m_context)) return add("shell.unknown_destructive", call, signal, {});
  if (w0.has_substitution) return add("shell.computed_command", call, signal, {});
  add("shell.dynamic_command", call, signal, {});
}

// A program cmdai does not know runs unverified; with arguments that look
// destructive ("./frob --force /", "mytool rm -rf ~") it is rated high.
// A word that still holds an expansion ("$@" passed on by a function that
// runs its arguments) names no program: the rules for dynamic command words
// and the call site rate it.
void Walker::check_known_program(const Call& call) {
  if (call.program.find('$') != std::string::npos ||
      std::find(m_functions.begin(), m_functions.end(), call.program) != m_functions.end() ||
      is_known_program(call.program, call.written_as_path, m_context)) {
    return;
  }
  const std::string signal = "unknown program '" + call.program + "'" +
                             (call.written_as_path ? " (a script cmdai cannot see into)"
                              : m_context.on_path  ? " (not a builtin, not in cmdai's tables, not found on PATH)"
                                                   : " (not a builtin, not in cmdai's tables)");
  add(looks_destructive(call, m_context) ? "shell.unknown_destructive" : "program.unknown", call, signal, {});
}

// Builtins that assign: declare and friends, unset, set --, for NAME in ...,
// printf -v, read.
void Walker::note_variables(const Call& call, const shell::Command& command) {
  const std::string& p = call.program;
  if (p == "declare" || p == "typeset" || p == "local" || p == "export" || p == "readonly") {
    const shell::Word* last = nullptr;
    for (const auto& a : call.args) {
      if (a.word == nullptr || a.word == last || a.text.starts_with("-") || a.word->text.find('=') == 0) continue;
      last = a.word;
      if (a.word->text.find('=') != std::string::npos) m_vars.assign(*a.word, outputs_of(*a.word));
    }
  } else if (p == "unset") {
    for (const auto& a : call.args) {
      if (!a.text.starts_with("-")) m_vars.unset(a.text);
    }
  } else if (p == "set" && !call.args.empty()) {
    std::size_t from = 0;
    while (from < call.args.size() && call.args[from].text != "--" &&
           (call.args[from].text.starts_with("-") || call.args[from].text.starts_with("+"))) {
      ++from;
    }
    if (from < call.args.size() && call.args[from].text == "--") ++from;
    if (from == 0 || call.args[from - 1].text == "--") {
      if (all_known(call, from)) m_vars.set_positional(operands_after(call, from));
    }
  } else if (p == "for" && call.args.size() >= 2 && call.args[1].text == "in") {
    if (all_known(call, 2)) {
      m_vars.set(call.args[0].text, operands_after(call, 2), true);
    } else {
      m_vars.set_unknown(call.args[0].text, false);
    }
  } else if (p == "printf" && call.args.size() >= 3 && call.args[0].text == "-v") {
    const auto args = operands_after(call, 3);
    const auto text = all_known(call, 2) ? render_printf(call.args[2].text, args) : std::nullopt;
    text ? m_vars.set(call.args[1].text, {*text}) : m_vars.set_unknown(call.args[1].text, false);
  } else if (p == "read") {
    note_read(call, command);
  }
}

// read NAME... from a here-string or heredoc: the line split by IFS, the
// last name taking the rest. From anything else: unknown.
void Walker::note_read(const Call& call, const shell::Command& command) {
  std::vector<std::string> names;
  std::string array;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if (a.starts_with("-") && a.size() > 1) {
      const bool valued = a.find_first_of("adinNptu", 1) != std::string::npos;
      if (a.find('a') != std::string::npos && i + 1 < call.args.size()) array = call.args[i + 1].text;
      if (valued && a.find_last_of("adinNptu") == a.size() - 1) ++i;
      continue;
    }
    names.push_back(a);
  }
  if (names.empty() && array.empty()) names.push_back("REPLY");
  std::optional<std::string> line;
  for (const auto& r : command.redirects) {
    if (r.op == shell::RedirectOp::herestring) {
      const Expansion e = m_vars.expand(r.target, outputs_of(r.target), Splitting::none);
      if (e.complete && !e.fields.empty()) line = e.fields.front();
    }
    if (r.op == shell::RedirectOp::heredoc && !r.heredoc_body.empty()) {
      line = r.heredoc_body.substr(0, r.heredoc_body.find('\n'));
    }
  }
  if (!line) {
    for (const auto& n : names) m_vars.set_unknown(n, true);
    if (!array.empty()) m_vars.set_unknown(array, true);
    return;
  }
  shell::Word word;
  word.text = "$REPLY";
  word.has_parameter = true;
  ShellVariables splitter = m_vars;
  splitter.set("REPLY", {*line});
  auto fields = splitter.expand(word, {}).fields;
  if (!array.empty()) m_vars.set(array, fields);
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string value;
    if (i + 1 == names.size()) {
      for (std::size_t j = i; j < fields.size(); ++j) value += (j > i ? " " : "") + fields[j];
    } else if (i < fields.size()) {
      value = fields[i];
    }
    m_vars.set(names[i], {value});
  }
}

}  // namespace cmdai::safety
