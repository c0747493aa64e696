#include "safety/walker.h"

#include <re2/re2.h>

#include <algorithm>

#include "safety/code_analysis.h"
#include "safety/embedded_code.h"
#include "safety/rule_table.h"
#include "safety/wrappers.h"
#include "shell/parser.h"

namespace cmdai::safety {
namespace {

bool is_documentation(std::string_view p) {
  return p == "man" || p == "info" || p == "help" || p == "tldr" || p == "whatis" || p == "apropos" || p == "which" ||
         p == "type" || p == "whereis" || p == "true" || p == ":" || p == "false" || p == "test" || p == "[";
}

CodeLanguage language_of(std::string_view program) {
  if (program.starts_with("python") || program.starts_with("pypy")) return CodeLanguage::python;
  if (program == "perl") return CodeLanguage::perl;
  if (program == "ruby") return CodeLanguage::ruby;
  if (program == "node" || program == "nodejs" || program == "deno" || program == "bun") return CodeLanguage::node;
  if (program == "php") return CodeLanguage::php;
  if (program == "lua" || program == "luajit") return CodeLanguage::lua;
  if (program == "psql" || program == "mysql" || program == "sqlite3" || program == "mariadb") return CodeLanguage::sql;
  return CodeLanguage::shell;
}

RiskLevel raise(RiskLevel level) {
  return level == RiskLevel::critical ? level : static_cast<RiskLevel>(static_cast<int>(level) + 1);
}

// Whether `name` is called anywhere inside, and whether a call of it
// multiplies: inside a pipeline, or sent to the background. One pass over
// the tree - nested bodies are visited once, so deep nesting stays linear.
struct CallScan {
  bool calls = false;
  bool multiplies = false;
};

CallScan scan_calls(const shell::Script& script, const std::string& name);

CallScan scan_command(const shell::Command& c, const std::string& name) {
  CallScan out;
  out.calls = !c.words.empty() && c.words[0].text == name;
  for (const auto& body : c.body) {
    const CallScan inner = scan_calls(body, name);
    out.calls = out.calls || inner.calls;
    out.multiplies = out.multiplies || inner.multiplies;
  }
  return out;
}

CallScan scan_calls(const shell::Script& script, const std::string& name) {
  CallScan out;
  for (const auto& item : script.items) {
    const auto& cmds = item.pipeline.commands;
    const bool multiplies_here = cmds.size() > 1 || item.next == shell::Connector::background;
    for (const auto& c : cmds) {
      const CallScan inner = scan_command(c, name);
      out.calls = out.calls || inner.calls;
      out.multiplies = out.multiplies || inner.multiplies || (multiplies_here && inner.calls);
    }
  }
  return out;
}

bool calls_itself(const shell::Script& script, const std::string& name) { return scan_calls(script, name).multiplies; }

std::string strip_cron_schedule(std::string_view line) {
  std::size_t pos = 0;
  const int fields = line.starts_with("@") ? 1 : 5;
  for (int f = 0; f < fields; ++f) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
  }
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
  return std::string(line.substr(std::min(pos, line.size())));
}

// Every function the script defines, wherever: a body may call a function
// defined after it ("f() { g; }; g() { ls; }; f").
void collect_functions(const shell::Script& script, std::vector<std::string>& out) {
  for (const auto& item : script.items) {
    for (const auto& c : item.pipeline.commands) {
      if (c.kind == shell::CommandKind::function_def) out.push_back(c.function_name);
      for (const auto& body : c.body) collect_functions(body, out);
    }
  }
}

}  // namespace

void Walker::walk(const shell::Script& script) {
  collect_functions(script, m_functions);
  walk_list(script, Frame{});
}

void Walker::add_at(std::string_view rule_id, shell::Span span, std::string signal, std::string alternative) {
  const RuleInfo& info = rule_info(rule_id);
  RiskLevel level = info.level;
  std::string why = std::move(signal);
  auto note = [&](std::string_view s) { why += (why.empty() ? "" : "; ") + std::string(s); };
  if ((info.escalation & k_escalate_root) && (m_current.elevated || m_context.is_root) &&
      level == RiskLevel::moderate) {
    level = RiskLevel::high;
    note("runs as root");
  }
  if ((info.escalation & k_escalate_sudo) && m_current.elevated && level == RiskLevel::high) {
    level = RiskLevel::critical;
    note("runs as root through sudo");
  }
  if ((info.escalation & k_escalate_ssh) && m_context.is_ssh_session) {
    level = RiskLevel::critical;
    note("you are connected over SSH and may lock yourself out");
  }
  if ((info.escalation & k_escalate_branch) && why.find("protected branch") != std::string::npos) {
    level = raise(level);
  }
  if ((info.escalation & k_escalate_kube) && why.find("production context") != std::string::npos) level = raise(level);
  Finding finding;
  finding.rule_id = std::string(info.id);
  finding.level = level;
  finding.message = std::string(info.message);
  finding.span = span;
  if (span.end <= m_text.size() && span.begin <= span.end) {
    finding.segment = std::string(m_text.substr(span.begin, span.end - span.begin));
  }
  finding.context_signal = std::move(why);
  if (!alternative.empty() && m_check_alternatives && rate_nested(alternative) < level) {
    if (std::find(m_result.suggested_alternatives.begin(), m_result.suggested_alternatives.end(), alternative) ==
        m_result.suggested_alternatives.end()) {
      m_result.suggested_alternatives.push_back(std::move(alternative));
    }
  }
  m_result.findings.push_back(std::move(finding));
}

void Walker::add(std::string_view rule_id, const Call& call, std::string signal, std::string alternative) {
  add_at(rule_id, call.span, std::move(signal), std::move(alternative));
}

void Walker::lower(std::string_view lowering_id, const Call& call, std::string detail, std::string_view instead_of) {
  lower_at(lowering_id, call.span, std::move(detail), instead_of);
}

void Walker::lower_at(std::string_view lowering_id, shell::Span span, std::string detail, std::string_view instead_of) {
  const LoweringInfo& info = lowering_info(lowering_id);
  Lowering lowering{std::string(info.id),
                    std::string(info.reason),
                    std::string(instead_of.empty() ? info.instead_of : instead_of),
                    std::move(detail),
                    {},
                    span};
  if (span.end <= m_text.size() && span.begin <= span.end) {
    lowering.segment = std::string(m_text.substr(span.begin, span.end - span.begin));
  }
  m_result.lowered.push_back(std::move(lowering));
}

// "mkfs.ext4 --help" runs nothing. The analyzer still rates the call, and
// what it found is dropped and named as what the help request lowered; a
// call it would not have rated ("git --help") lowers nothing.
void Walker::rate_help(const Call& call, Analyzer analyzer) {
  const auto findings = m_result.findings.size();
  const auto alternatives = m_result.suggested_alternatives.size();
  const auto lowered = m_result.lowered.size();
  Facts scratch;
  analyzer(call, *this, scratch);
  const Finding* worst = nullptr;
  for (auto i = findings; i < m_result.findings.size(); ++i) {
    const Finding& f = m_result.findings[i];
    if (f.level > RiskLevel::safe && (worst == nullptr || f.level > worst->level)) worst = &f;
  }
  const std::string instead_of = worst == nullptr ? std::string() : worst->rule_id;
  m_result.findings.resize(findings);
  m_result.suggested_alternatives.resize(alternatives);
  m_result.lowered.resize(lowered);
  if (!instead_of.empty()) lower_at("lowered.help", call.span, "asks " + call.program + " for help", instead_of);
}

RiskLevel Walker::rate_nested(std::string_view code) {
  ValidationResult nested;
  auto script = shell::parse(code);
  if (!script) return RiskLevel::high;
  Walker walker(code, m_context, m_compiled, m_max_depth, nested);
  walker.m_check_alternatives = false;
  walker.m_current = m_current;
  walker.m_current.reparsed = false;
  walker.m_current.depth = m_current.depth + 1;
  if (walker.m_current.depth > m_max_depth) return RiskLevel::high;
  walker.walk_list(*script, walker.m_current);
  RiskLevel level = RiskLevel::safe;
  for (const auto& f : nested.findings) level = std::max(level, f.level);
  return level;
}

void Walker::run_code(std::string_view code, CodeLanguage language, const Call& call) {
  const Frame saved = m_current;
  Frame frame{m_current.depth + 1,
              m_current.elevated || call.elevated,
              m_current.remote || call.remote,
              true,
              span_for(call.span, m_current),
              {}};
  if (frame.depth > m_max_depth) return add("parse.too_deep", call, {}, {});
  if (language != CodeLanguage::shell) {
    const CodeReport report = analyze_code(language, code);
    m_current = frame;
    for (auto rule : report.rules) add_at(rule, frame.outer, {});
    for (const auto& command : report.shell_commands) run_code(command, CodeLanguage::shell, call);
    m_current = saved;
    return;
  }
  auto script = shell::parse(code);
  if (!script) {
    add("parse.error", call, "inline code: " + script.error().message, {});
    return;
  }
  walk_list(*script, frame);
  m_current = saved;
}

void Walker::run_argv(std::vector<Arg> argv, const Call& call, bool operands_from_stdin) {
  if (argv.empty()) return;
  Call inner;
  set_program(inner, argv.front().value.empty() ? argv.front().text : argv.front().value);
  inner.args.assign(std::make_move_iterator(argv.begin() + 1), std::make_move_iterator(argv.end()));
  inner.span = call.span;
  inner.elevated = call.elevated;
  inner.remote = call.remote;
  inner.operands_from_stdin = operands_from_stdin;
  Frame frame = m_current;
  if (++frame.depth > m_max_depth) return add("parse.too_deep", call, {}, {});
  Facts facts;
  analyze_call(std::move(inner), facts, frame);
}

Facts Walker::substitution_facts(const Arg& arg) {
  Facts merged;
  for (const auto& [word, facts] : m_word_facts) {
    if (word != arg.word) continue;
    merged.downloads_to_stdout = merged.downloads_to_stdout || facts.downloads_to_stdout;
    merged.decodes = merged.decodes || facts.decodes;
    merged.emits_secret = merged.emits_secret || facts.emits_secret;
    merged.lists_containers = merged.lists_containers || facts.lists_containers;
    if (!merged.emitted_text) merged.emitted_text = facts.emitted_text;
  }
  return merged;
}

Facts Walker::walk_list(const shell::Script& script, const Frame& frame) {
  Facts last;
  for (const auto& item : script.items) last = walk_pipeline(item.pipeline, frame);
  return last;
}

Facts Walker::walk_pipeline(const shell::Pipeline& pipeline, const Frame& frame) {
  std::vector<Facts> facts;
  facts.reserve(pipeline.commands.size());
  for (const auto& command : pipeline.commands) facts.push_back(walk_command(command, frame));
  if (facts.size() > 1) check_pipeline_flow(facts, pipeline, frame);
  return facts.empty() ? Facts{} : facts.back();
}

bool Walker::was_downloaded(const std::string& path) const {
  const auto resolved = resolve_path(path, false, m_context).path;
  return std::find(m_downloaded.begin(), m_downloaded.end(), resolved) != m_downloaded.end();
}

Facts Walker::walk_command(const shell::Command& command, const Frame& frame) {
  Facts facts;
  switch (command.kind) {
    case shell::CommandKind::arithmetic: return facts;
    case shell::CommandKind::function_def:
      m_functions.push_back(command.function_name);
      check_fork_bomb(command, frame);
      for (const auto& body : command.body) {
        if (const auto why = shadows_command(command.function_name, body); !why.empty()) {
          add_at("shell.hijack", span_for(command.span, frame), why);
        }
      }
      {
        Frame body_frame = frame;
        body_frame.function = command.function_name;
        for (const auto& body : command.body) walk_list(body, body_frame);
      }
      return facts;
    case shell::CommandKind::subshell:
    case shell::CommandKind::group: {
      const std::size_t mark = m_word_facts.size();
      for (const auto& w : command.words) walk_substitutions(w, frame);
      for (const auto& r : command.redirects) walk_substitutions(r.target, frame);
      for (const auto& body : command.body) facts = walk_list(body, frame);
      check_redirects(command, nullptr, facts, frame);
      m_word_facts.resize(mark);
      break;
    }
    case shell::CommandKind::simple: facts = walk_simple(command, frame); break;
  }
  for (const auto& file : facts.executed_files) {
    if (was_downloaded(file)) add_at("exec.downloaded_file", span_for(command.span, frame), "runs " + file);
  }
  for (const auto& file : facts.downloaded_files) m_downloaded.push_back(resolve_path(file, false, m_context).path);
  return facts;
}

void Walker::walk_substitutions(const shell::Word& word, const Frame& frame) {
  for (const auto& sub : word.substitutions) {
    Frame inner = frame;
    if (++inner.depth > m_max_depth) return add_at("parse.too_deep", span_for(sub.span, frame), {});
    Facts facts = walk_list(sub.body.front(), inner);
    m_word_facts.emplace_back(&word, std::move(facts));
  }
}

Facts Walker::walk_simple(const shell::Command& command, const Frame& frame) {
  Facts facts;
  const std::size_t mark = m_word_facts.size();
  const shell::Span span = span_for(command.span, frame);
  for (const auto& w : command.assignments) {
    walk_substitutions(w, frame);
    if (w.text.starts_with("LD_PRELOAD=")) add_at("shell.preload", span, {});
  }
  for (const auto& w : command.words) walk_substitutions(w, frame);
  for (const auto& r : command.redirects) walk_substitutions(r.target, frame);
  for (const auto& w : command.words) m_vars.assign_defaults(w);
  const std::size_t first = first_command_word(command, span);
  if (command.words.empty()) {
    for (const auto& w : command.assignments) {
      m_vars.assign(w, outputs_of(w));
      const auto eq = w.text.find('=');
      const std::string name = w.text.substr(0, eq > 0 && w.text[eq - 1] == '+' ? eq - 1 : eq);
      const auto rule = rule_for_assignment(name, w.text.substr(eq + 1));
      if (!rule.empty() && rule != "shell.preload") add_at(rule, span, name);  // preload: reported above
    }
  }
  if (first >= command.words.size()) {
    check_redirects(command, nullptr, facts, frame);
    m_word_facts.resize(mark);
    return facts;
  }
  Call call = build_call(command, first, span, frame, facts);
  note_variables(call, command);
  if (call.program == "cd" || call.program == "pushd") change_directory(call);
  if (std::find(m_runs_arguments.begin(), m_runs_arguments.end(), call.program) != m_runs_arguments.end()) {
    run_argv(call.args, call, false);  // "f() { "$@"; }; f rm -rf /" runs rm
  }
  if (!call.program.empty()) analyze_call(call, facts, frame);
  check_redirects(command, call.program.empty() ? nullptr : &call, facts, frame);
  m_word_facts.resize(mark);
  return facts;
}

// Later commands of the same script run in the new directory: "cd / && rm -rf *".
void Walker::change_directory(const Call& call) {
  const Arg* target = nullptr;
  for (const auto& a : call.args) {
    if (!a.text.starts_with("-") || a.text == "-") target = &a;
  }
  if (target == nullptr) {
    m_context.working_directory = m_context.home_directory;
  } else if (target->text != "-" && !target->dynamic) {
    m_context.working_directory = resolve(*target, m_context).path;
  }
}

void Walker::analyze_call(Call call, Facts& facts, const Frame& frame) {
  const Frame saved = m_current;
  m_current = frame;
  for (int guard = 0; guard < 32; ++guard) {
    if (!asks_for_help(call)) check_embedded(call, facts);
    const bool was_remote = call.remote;
    const UnwrapResult r = unwrap(call);
    if (r.preload) add("shell.preload", call, {}, {});
    if (call.remote && !was_remote) facts.network_sink = true;  // what is piped to ssh HOST goes there
    m_current.elevated = m_current.elevated || call.elevated;
    m_current.remote = m_current.remote || call.remote;
    if (r.kind == UnwrapKind::none) break;
    if (r.kind == UnwrapKind::nothing) {
      m_current = saved;
      return;
    }
    if (r.kind == UnwrapKind::code) {
      run_code(r.code, CodeLanguage::shell, call);
      m_current = saved;
      return;
    }
  }
  check_custom(call);
  auto& programs = m_result.programs;
  if (std::find(programs.begin(), programs.end(), call.program) == programs.end()) programs.push_back(call.program);
  if (!is_documentation(call.program)) {
    check_known_program(call);
    const Analyzer analyzer = find_analyzer(call.program);
    if (analyzer != nullptr && asks_for_help(call)) {
      rate_help(call, analyzer);
    } else if (analyzer != nullptr) {
      analyzer(call, *this, facts);
    }
  }
  if (stdin_language(call.program) == ScriptLanguage::ed) facts.stdin_script = ScriptLanguage::ed;
  m_current = saved;
}

// A heredoc or here-string given to a shell or interpreter is its code.
void Walker::check_fed_code(const shell::Redirect& r, const Facts& from_target, const Call& call, shell::Span span) {
  if (from_target.downloads_to_stdout) return add_at("exec.remote_code", span, "feeds a download to " + call.program);
  const std::string body = r.op == shell::RedirectOp::heredoc ? r.heredoc_body : r.target.text;
  run_code(body, language_of(call.program), call);
}

void Walker::check_redirects(const shell::Command& command, const Call* call, Facts& facts, const Frame& frame) {
  const shell::Span span = span_for(command.span, frame);
  const bool shell_like = facts.is_shell || (call != nullptr && is_shell_program(call->program));
  for (const auto& r : command.redirects) {
    const Arg target{r.target.text, r.target.unset_value, r.target.has_parameter || r.target.has_substitution,
                     &r.target};
    const Facts from_target = r.target.substitutions.empty() ? Facts{} : substitution_facts(target);
    const bool fed = r.op == shell::RedirectOp::heredoc || r.op == shell::RedirectOp::herestring;
    if (fed && facts.stdin_script != ScriptLanguage::none && call != nullptr) {
      check_script(facts.stdin_script, r.op == shell::RedirectOp::heredoc ? r.heredoc_body : r.target.text, *call);
      continue;
    }
    if (fed && facts.runs_stdin && call != nullptr) {
      check_fed_code(r, from_target, *call, span);
      continue;
    }
    const bool is_fd = !r.target.text.empty() && std::all_of(r.target.text.begin(), r.target.text.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '-';
    });
    if (is_fd || r.op == shell::RedirectOp::heredoc || r.op == shell::RedirectOp::herestring) continue;
    if (from_target.downloads_to_stdout && facts.runs_stdin) {
      add_at("exec.remote_code", span, "feeds a download to a shell");
      continue;
    }
    if (r.target.text.starts_with("/dev/tcp/") || r.target.text.starts_with("/dev/udp/")) {
      const std::string_view rule = shell_like           ? "net.reverse_shell"
                                    : facts.emits_secret ? "exfil.secret"
                                                         : "net.dev_tcp";
      add_at(rule, span, "connects to " + r.target.text);
      continue;
    }
    const auto path = resolve(target, m_context);
    if (r.op == shell::RedirectOp::read || r.op == shell::RedirectOp::dup_read) {
      if (facts.runs_stdin) facts.executed_files.push_back(r.target.unset_value);
      if (facts.runs_stdin && call != nullptr && language_of(call->program) == CodeLanguage::sql) {
        add_at("db.script", span, "reads " + r.target.text);
      }
      if (facts.network_sink && is_secret_path(path, m_context)) add_at("exfil.secret", span, "sends " + path.path);
      continue;
    }
    if (facts.downloads_to_stdout) facts.downloaded_files.push_back(r.target.unset_value);
    const bool append = r.op == shell::RedirectOp::append || r.op == shell::RedirectOp::append_all;
    const std::string_view rule = rule_for_write(path, append, m_context);
    if (rule.empty()) continue;
    add_at(rule, span, rule == "redirect.write" ? std::string() : "writes to " + path.path);
    if (rule == "redirect.system" && path.scope == Scope::critical_file) {
      lower_at("lowered.bounded_append", span, "appends to " + path.path);
    } else if (rule == "redirect.write" && path.path.starts_with("/var/tmp/")) {
      lower_at("lowered.temporary_directory", span, "writes to " + path.path);
    }
    const auto kind = persistence_kind(path, m_context);
    if (kind != PersistenceKind::none && facts.emitted_text) {
      check_persisted_text(facts, *facts.emitted_text, span, frame);
    }
  }
}

void Walker::check_fork_bomb(const shell::Command& definition, const Frame& frame) {
  for (const auto& body : definition.body) {
    if (calls_itself(body, definition.function_name)) {
      return add_at("proc.fork_bomb", span_for(definition.span, frame), "function " + definition.function_name);
    }
  }
}

void Walker::check_pipeline_flow(const std::vector<Facts>& facts, const shell::Pipeline& pipeline, const Frame& frame) {
  const shell::Span span = span_for(pipeline.span, frame);
  bool peer = false, shell = false;
  for (std::size_t j = 0; j < facts.size(); ++j) {
    peer = peer || facts[j].network_peer;
    shell = shell || (facts[j].is_shell && facts[j].runs_stdin);
    for (std::size_t i = 0; i < j; ++i) {
      if (facts[j].runs_stdin && facts[i].downloads_to_stdout) return add_at("exec.remote_code", span, {});
      if (facts[j].runs_stdin && facts[i].decodes) return add_at("exec.decoded_code", span, {});
      if (facts[j].network_sink && facts[i].emits_secret) return add_at("exfil.secret", span, {});
    }
    if (j == 0 || !facts[j - 1].emitted_text) continue;
    const std::string& text = *facts[j - 1].emitted_text;
    if (facts[j].stdin_script != ScriptLanguage::none) {
      Call pseudo;
      pseudo.span = span;
      pseudo.elevated = frame.elevated;
      const Frame saved = m_current;
      m_current = frame;
      check_script(facts[j].stdin_script, text, pseudo);
      m_current = saved;
    }
    if (facts[j].runs_stdin) {
      Call pseudo;
      pseudo.span = span;
      pseudo.elevated = frame.elevated;
      pseudo.remote = frame.remote;
      const Frame saved = m_current;
      m_current = frame;
      run_code(text, CodeLanguage::shell, pseudo);
      m_current = saved;
    }
    if (facts[j].persists_stdin || facts[j].persists_rc) check_persisted_text(facts[j], text, span, frame);
  }
  if (peer && shell) add_at("net.reverse_shell", span, {});
  check_listing_deleted(facts, span);
}

// "ls ~ | xargs rm -rf", "docker ps -aq | xargs docker rm": everything a
// listing prints is removed.
void Walker::check_listing_deleted(const std::vector<Facts>& facts, shell::Span span) {
  for (std::size_t j = 1; j < facts.size(); ++j) {
    const Facts& from = facts[j - 1];
    if (facts[j].deletes_listed && from.listed && is_catastrophic(*from.listed)) {
      return add_at("rm.recursive_system", span, "deletes every entry a listing of a system directory or home prints");
    }
    if (facts[j].removes_listed_containers && from.lists_containers) {
      return add_at("container.remove_all", span, "the ids come from a listing of all of them");
    }
  }
}

void Walker::check_persisted_text(const Facts& writer, std::string_view text, const shell::Span& span,
                                  const Frame& frame) {
  const Frame saved = m_current;
  m_current = frame;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const std::string command =
        writer.persists_stdin && !line.starts_with("export ") ? strip_cron_schedule(line) : std::string(line);
    if (rate_nested(command) >= RiskLevel::high) {
      add_at("persist.dangerous", span, "persists: " + command);
      break;
    }
    start = end + 1;
  }
  m_current = saved;
}

void Walker::check_custom(const Call& call) {
  if (m_compiled.custom.empty()) return;
  std::string text = call.program;
  for (const auto& a : call.args) text += " " + a.text;
  for (const auto& c : m_compiled.custom) {
    if (!RE2::PartialMatch(text, *c.regex)) continue;
    Finding finding;
    finding.rule_id = c.pattern.id;
    finding.level = c.pattern.level;
    finding.message = c.pattern.message.empty() ? "matches your pattern " + c.pattern.regex : c.pattern.message;
    finding.span = call.span;
    if (call.span.end <= m_text.size())
      finding.segment = std::string(m_text.substr(call.span.begin, call.span.end - call.span.begin));
    m_result.findings.push_back(std::move(finding));
  }
}

}  // namespace cmdai::safety
