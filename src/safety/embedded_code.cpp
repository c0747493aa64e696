#include "safety/embedded_code.h"
#include "core/utf8.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace cmdai::safety {
namespace {

enum class Syntax {
  shell,       // the value is shell code
  ex,          // vim/ex commands: ":!cmd", "r !cmd", "call system('cmd')"
  less,        // less commands: "!cmd"
  gdb,         // gdb commands: "shell cmd", "!cmd"
  git_config,  // key=value; some keys hold commands
  script,      // a script file cmdai does not read
  output,      // a file the program writes (sort -o, find -fprint)
};

struct OptionSpec {
  std::string_view program;
  std::string_view option;  // as typed: "-c", "--to-command", "+" (a word starting with +)
  Syntax syntax;
  std::string_view key = {};  // only values starting with this key (case-insensitive), which is stripped
  bool remote = false;        // the code runs on the other machine
};

// Which option of which program holds code. The vi family and the ssh
// family share their rows through k_aliases below.
constexpr OptionSpec k_options[] = {
    {"tar", "--to-command", Syntax::shell},
    {"tar", "--checkpoint-action", Syntax::shell, "exec="},
    {"tar", "--use-compress-program", Syntax::shell},
    {"tar", "-I", Syntax::shell},
    {"tar", "--info-script", Syntax::shell},
    {"tar", "--new-volume-script", Syntax::shell},
    {"tar", "-F", Syntax::shell},
    {"tar", "--rsh-command", Syntax::shell},
    {"vim", "-c", Syntax::ex},
    {"vim", "--cmd", Syntax::ex},
    {"vim", "+", Syntax::ex},
    {"vim", "-S", Syntax::script},
    {"less", "+", Syntax::less},
    {"gdb", "-ex", Syntax::gdb},
    {"gdb", "--eval-command", Syntax::gdb},
    {"gdb", "-iex", Syntax::gdb},
    {"gdb", "--init-eval-command", Syntax::gdb},
    {"gdb", "-x", Syntax::script},
    {"gdb", "--command", Syntax::script},
    {"git", "-c", Syntax::git_config},
    {"man", "-P", Syntax::shell},
    {"man", "--pager", Syntax::shell},
    {"ssh", "-o", Syntax::shell, "ProxyCommand"},
    {"ssh", "-o", Syntax::shell, "LocalCommand"},
    {"ssh", "-o", Syntax::shell, "KnownHostsCommand"},
    {"rsync", "-e", Syntax::shell},
    {"rsync", "--rsh", Syntax::shell},
    {"rsync", "--rsync-path", Syntax::shell, {}, true},
    {"zip", "-TT", Syntax::shell},
    {"zip", "--unzip-command", Syntax::shell},
    {"script", "-c", Syntax::shell},
    {"script", "--command", Syntax::shell},
    {"awk", "-f", Syntax::script},
    {"awk", "--file", Syntax::script},
    {"sed", "-f", Syntax::script},
    {"sed", "--file", Syntax::script},
    {"sort", "-o", Syntax::output},
    {"sort", "--output", Syntax::output},
    {"shuf", "-o", Syntax::output},
    {"shuf", "--output", Syntax::output},
    {"find", "-fprint", Syntax::output},
    {"find", "-fprint0", Syntax::output},
    {"find", "-fprintf", Syntax::output},
    {"find", "-fls", Syntax::output},
};

// Programs that take the options of another row's program.
constexpr std::pair<std::string_view, std::string_view> k_aliases[] = {
    {"vi", "vim"},   {"nvim", "vim"},        {"view", "vim"}, {"vimdiff", "vim"}, {"gvim", "vim"},
    {"ex", "vim"},   {"scp", "ssh"},         {"sftp", "ssh"}, {"gawk", "awk"},    {"mawk", "awk"},
    {"nawk", "awk"}, {"busybox-awk", "awk"}, {"gsed", "sed"},
};

std::string_view canonical(std::string_view program) {
  for (const auto& [alias, target] : k_aliases) {
    if (program == alias) return target;
  }
  return program;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::unique_ptr<RE2> compile(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  return std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
}

// Every first capture of re in text.
std::vector<std::string> captures(const RE2& re, std::string_view text) {
  std::vector<std::string> out;
  re2::StringPiece input(text.data(), text.size());
  std::string capture;
  while (out.size() < 32 && RE2::FindAndConsume(&input, re, &capture)) out.push_back(capture);
  return out;
}

std::string unescape_quoted(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

// An ex command (vim -c, +cmd): the shell command it runs, if any.
void from_ex(std::string_view command, std::vector<EmbeddedCode>& out) {
  static const auto* const bang =
      compile(R"(^[\s:]*(?:silent!?\s*)?(?:\d*,?\d*|%)?(?:r(?:ead)?|w(?:rite)?)?\s*!(.*)$)").release();
  static const auto* const system = compile(R"re(system\s*\(\s*["']([^"']*)["'])re").release();
  std::string code;
  if (RE2::FullMatch(re2::StringPiece(command.data(), command.size()), *bang, &code)) {
    out.push_back({EmbeddedCode::Kind::shell, trim(code)});
    return;
  }
  for (auto& literal : captures(*system, command)) out.push_back({EmbeddedCode::Kind::shell, literal});
}

void from_git_config(std::string_view setting, std::vector<EmbeddedCode>& out) {
  const auto eq = setting.find('=');
  if (eq == std::string_view::npos) return;
  const std::string key = ascii_lower(setting.substr(0, eq));
  const std::string value(setting.substr(eq + 1));
  if ((key.starts_with("alias.") || key == "credential.helper") && value.starts_with("!")) {
    out.push_back({EmbeddedCode::Kind::shell, value.substr(1)});
    return;
  }
  for (std::string_view k : {"core.pager", "core.sshcommand", "core.editor", "sequence.editor", "core.askpass",
                             "diff.external", "gpg.program", "core.fsmonitor"}) {
    if (key == k && value != "true" && value != "false") out.push_back({EmbeddedCode::Kind::shell, value});
  }
  if (key.starts_with("pager.") && value != "true" && value != "false") {
    out.push_back({EmbeddedCode::Kind::shell, value});
  }
}

void from_value(const OptionSpec& spec, std::string_view value, std::vector<EmbeddedCode>& out) {
  if (!spec.key.empty()) {
    if (!iequals_prefix(value, spec.key)) return;
    value.remove_prefix(spec.key.size());
    if (!value.empty() && (value.front() == '=' || value.front() == ' ')) value.remove_prefix(1);
  }
  switch (spec.syntax) {
    case Syntax::shell: out.push_back({EmbeddedCode::Kind::shell, std::string(value), spec.remote}); break;
    case Syntax::ex: from_ex(value, out); break;
    case Syntax::less:
      if (value.starts_with("!")) out.push_back({EmbeddedCode::Kind::shell, std::string(value.substr(1))});
      break;
    case Syntax::gdb: {
      const std::string command = trim(value);
      if (command.starts_with("shell ")) out.push_back({EmbeddedCode::Kind::shell, command.substr(6)});
      if (command.starts_with("!")) out.push_back({EmbeddedCode::Kind::shell, command.substr(1)});
      break;
    }
    case Syntax::git_config: from_git_config(value, out); break;
    case Syntax::script: out.push_back({EmbeddedCode::Kind::unseen, "runs the script " + std::string(value)}); break;
    case Syntax::output: out.push_back({EmbeddedCode::Kind::writes_file, std::string(value)}); break;
  }
}

// The value of spec's option in argument i (and maybe i + 1), if it is one.
std::optional<std::string_view> option_value(const OptionSpec& spec, const std::vector<Arg>& args, std::size_t& i) {
  const std::string& a = args[i].text;
  const std::string_view opt = spec.option;
  if (opt == "+") {
    if (a.size() > 1 && a[0] == '+') return std::string_view(a).substr(1);
    return std::nullopt;
  }
  if (a == opt) {
    if (i + 1 >= args.size()) return std::nullopt;
    return std::string_view(args[++i].text);
  }
  if (opt.starts_with("--") && a.starts_with(opt) && a.size() > opt.size() && a[opt.size()] == '=') {
    return std::string_view(a).substr(opt.size() + 1);
  }
  if (opt.size() == 2 && a.starts_with(opt) && a.size() > 2 && a[1] != '-') return std::string_view(a).substr(2);
  return std::nullopt;
}

void from_options(const Call& call, std::string_view program, std::vector<EmbeddedCode>& out) {
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    if (call.args[i].text == "--") break;
    if (program == "git" && !call.args[i].text.starts_with("-")) break;  // -c only before the verb
    std::size_t consumed = i;
    for (const auto& spec : k_options) {
      if (spec.program != program) continue;
      std::size_t at = i;
      if (auto value = option_value(spec, call.args, at)) {
        from_value(spec, *value, out);
        consumed = std::max(consumed, at);
      }
    }
    i = consumed;
  }
}

// awk's program: system("..."), print | "cmd", "cmd" | getline.
void from_awk(const Call& call, std::vector<EmbeddedCode>& out) {
  static const auto* const system_literal = compile(R"re(system\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\))re").release();
  static const auto* const system_any = compile(R"((system)\s*\()").release();
  static const auto* const pipe_to = compile(R"re([^|]\|\s*"((?:[^"\\]|\\.)*)")re").release();
  static const auto* const pipe_from = compile(R"re("((?:[^"\\]|\\.)*)"\s*\|\s*getline)re").release();
  const std::string* program = nullptr;
  for (std::size_t i = 0; i < call.args.size() && program == nullptr; ++i) {
    const std::string& a = call.args[i].text;
    if (a == "-f" || a == "--file" || a.starts_with("-f")) return;  // the script file: from_options
    if (a == "-v" || a == "-F" || a == "--assign" || a == "--field-separator") {
      ++i;
    } else if ((a == "-e" || a == "--source") && i + 1 < call.args.size()) {
      program = &call.args[++i].text;
    } else if (!a.starts_with("-") || a == "-") {
      program = &a;
    }
  }
  if (program == nullptr) return;
  const auto literals = captures(*system_literal, *program);
  for (const auto& c : literals) out.push_back({EmbeddedCode::Kind::shell, unescape_quoted(c)});
  if (captures(*system_any, *program).size() > literals.size()) {
    out.push_back({EmbeddedCode::Kind::unseen, "awk runs a command it builds itself (system)"});
  }
  for (const auto& c : captures(*pipe_from, *program)) out.push_back({EmbeddedCode::Kind::shell, unescape_quoted(c)});
  for (const auto& c : captures(*pipe_to, *program)) {
    const std::string command = trim(unescape_quoted(c));
    const std::string first = command.substr(0, command.find(' '));
    if (is_shell_program(first.substr(first.rfind('/') + 1)) && command.find("-c") == std::string::npos) {
      out.push_back({EmbeddedCode::Kind::pipe_to_shell, "awk writes lines into " + first});
    } else {
      out.push_back({EmbeddedCode::Kind::shell, command});
    }
  }
}

// One line of a sed script, commands separated by ';'. Commands whose
// argument runs to the end of the line (a i c e r w) end the line.
void sed_line(std::string_view line, std::vector<EmbeddedCode>& out) {
  std::size_t i = 0;
  const auto rest = [&] { return trim(line.substr(std::min(i, line.size()))); };
  while (i < line.size()) {
    while (i < line.size() && (std::isspace(static_cast<unsigned char>(line[i])) || line[i] == ';' || line[i] == '{' ||
                               line[i] == '}' || line[i] == '!')) {
      ++i;
    }
    // Address: numbers, $, /re/, \cREc, first~step, and a second one after ','.
    for (int part = 0; part < 2 && i < line.size(); ++part) {
      if (line[i] == '/' || line[i] == '\\') {
        const char d = line[i] == '\\' && i + 1 < line.size() ? line[++i] : '/';
        for (++i; i < line.size() && line[i] != d; ++i) {
          if (line[i] == '\\') ++i;
        }
        ++i;
      }
      while (i < line.size() && (std::isdigit(static_cast<unsigned char>(line[i])) || line[i] == '$' ||
                                 line[i] == '~' || line[i] == '+')) {
        ++i;
      }
      if (i < line.size() && line[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    while (i < line.size() && (line[i] == ' ' || line[i] == '!')) ++i;
    if (i >= line.size()) return;
    const char command = line[i++];
    if (command == 'e') {
      const std::string code = rest();
      out.push_back(code.empty() ? EmbeddedCode{EmbeddedCode::Kind::unseen, "sed e runs each line as a command"}
                                 : EmbeddedCode{EmbeddedCode::Kind::shell, code});
      return;
    }
    if (command == 'w' || command == 'W') return out.push_back({EmbeddedCode::Kind::writes_file, rest()});
    if (command == 'a' || command == 'i' || command == 'c' || command == 'r' || command == 'R') return;
    if (command == 's' || command == 'y') {
      if (i >= line.size()) return;
      const char d = line[i++];
      for (int field = 0; field < 2 && i < line.size(); ++i) {
        if (line[i] == '\\') {
          ++i;
        } else if (line[i] == d) {
          ++field;
        }
      }
      const std::size_t flags = i;
      while (i < line.size() && std::isalnum(static_cast<unsigned char>(line[i]))) {
        if (command == 's' && line[i] == 'e') {
          out.push_back({EmbeddedCode::Kind::unseen, "sed s///e runs the result as a command"});
        }
        if (command == 's' && line[i] == 'w') {
          ++i;
          return out.push_back({EmbeddedCode::Kind::writes_file, rest()});
        }
        ++i;
      }
      (void)flags;
      continue;
    }
    while (i < line.size() && line[i] != ';' && line[i] != '}') ++i;  // labels, q codes, single letters
  }
}

void from_sed(const Call& call, std::vector<EmbeddedCode>& out) {
  std::vector<std::string_view> scripts;
  bool from_file = false;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if ((a == "-e" || a == "--expression") && i + 1 < call.args.size()) {
      scripts.push_back(call.args[++i].text);
    } else if (a.starts_with("--expression=")) {
      scripts.push_back(std::string_view(a).substr(13));
    } else if (a == "-f" || a == "--file" || a.starts_with("--file=")) {
      from_file = true;
    } else if (a == "-l" || a == "--line-length") {
      ++i;
    } else if (!a.starts_with("-") && scripts.empty() && !from_file) {
      scripts.push_back(a);
      from_file = true;  // the rest are input files
    }
  }
  for (std::string_view script : scripts) {
    std::size_t start = 0;
    while (start <= script.size()) {
      const auto end = std::min(script.find('\n', start), script.size());
      sed_line(script.substr(start, end - start), out);
      start = end + 1;
    }
  }
}

void from_trap(const Call& call, std::vector<EmbeddedCode>& out) {
  if (call.args.empty()) return;
  const std::string& code = call.args.front().text;
  if (code == "-" || code == "-p" || code == "-l" || code == "--" || call.args.size() < 2) return;
  out.push_back({EmbeddedCode::Kind::shell, code});
}

}  // namespace

std::vector<EmbeddedCode> embedded_code(const Call& call) {
  std::vector<EmbeddedCode> out;
  const std::string_view program = canonical(call.program);
  from_options(call, program, out);
  if (program == "awk") from_awk(call, out);
  if (program == "sed") from_sed(call, out);
  if (program == "trap") from_trap(call, out);
  return out;
}

ScriptLanguage stdin_language(std::string_view program) {
  if (program == "ed" || program == "red") return ScriptLanguage::ed;
  for (std::string_view p : {"fdisk", "gdisk", "cfdisk", "sfdisk", "cgdisk", "parted"}) {
    if (program == p) return ScriptLanguage::partition_table;
  }
  return ScriptLanguage::none;
}

std::vector<EmbeddedCode> ed_commands(std::string_view script) {
  static const auto* const bang = compile(R"(^\s*[\d,.$;'a-z]*?\s*(?:[rwe]\s*)?!(.*)$)").release();
  std::vector<EmbeddedCode> out;
  std::size_t start = 0;
  while (start < script.size()) {
    const auto end = std::min(script.find('\n', start), script.size());
    const std::string_view line = script.substr(start, end - start);
    std::string code;
    if (RE2::FullMatch(re2::StringPiece(line.data(), line.size()), *bang, &code)) {
      out.push_back({EmbeddedCode::Kind::shell, trim(code)});
    }
    start = end + 1;
  }
  return out;
}

bool partition_script_writes(std::string_view script) {
  std::size_t start = 0;
  while (start < script.size()) {
    const auto end = std::min(script.find('\n', start), script.size());
    if (trim(script.substr(start, end - start)) == "w") return true;
    start = end + 1;
  }
  return false;
}

}  // namespace cmdai::safety
