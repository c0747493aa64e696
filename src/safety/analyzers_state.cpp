// Shell state that outlives the command: aliases and functions that shadow
// common commands, PATH starting with a directory anyone can write,
// PROMPT_COMMAND, BASH_ENV, LD_PRELOAD, DEBUG traps, and history wiped or
// turned off. They matter doubly in startup files (walker's persisted-text
// check rates each line) and because the shell key puts commands into the
// user's live shell.

#include <algorithm>

#include "safety/call.h"
#include "shell/parser.h"

namespace cmdai::safety {
namespace {

// Commands people type without thinking: shadowing one runs other code in
// their place.
constexpr std::string_view k_common_commands[] = {
    "sudo",    "su",      "doas",    "ssh",        "scp",     "sftp",    "passwd",    "login", "ls",      "cd",
    "cat",     "cp",      "mv",      "rm",         "git",     "ps",      "grep",      "find",  "echo",    "curl",
    "wget",    "python",  "python3", "pip",        "npm",     "node",    "bash",      "sh",    "zsh",     "vim",
    "vi",      "nano",    "less",    "man",        "kill",    "id",      "whoami",    "which", "command", "type",
    "builtin", "exec",    "source",  "eval",       "history", "clear",   "exit",      "make",  "gpg",     "openssl",
    "apt",     "apt-get", "yum",     "dnf",        "docker",  "kubectl", "systemctl", "mount", "chmod",   "chown",
    "ln",      "tar",     "ssh-add", "ssh-keygen", "env",     "sed",     "awk",       "head",  "tail",    "sort",
    "top",     "export",  "alias",   "unalias",    "crontab", "w",       "who",       "last",  "pwd",     "mkdir",
    "touch",   "df",      "du"};

bool is_common_command(std::string_view name) {
  return std::find(std::begin(k_common_commands), std::end(k_common_commands), name) != std::end(k_common_commands);
}

bool in_world_writable_dir(std::string_view path) {
  for (std::string_view dir : {"/tmp", "/var/tmp", "/dev/shm"}) {
    if (path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/')) return true;
  }
  return false;
}

void collect_programs(const shell::Script& script, std::vector<std::string>& programs, bool& runs_writable) {
  for (const auto& item : script.items) {
    for (const auto& c : item.pipeline.commands) {
      for (const auto& body : c.body) collect_programs(body, programs, runs_writable);
      for (const auto& w : c.words) runs_writable = runs_writable || in_world_writable_dir(w.text);
      std::size_t i = 0;
      while (i < c.words.size() && (c.words[i].text == "command" || c.words[i].text == "builtin" ||
                                    c.words[i].text == "exec" || c.words[i].text == "sudo")) {
        ++i;
      }
      if (i < c.words.size()) programs.push_back(program_name(c.words[i].text));
    }
  }
}

// `PATH=/tmp:$PATH`: an entry before the old PATH that anyone can write (or
// the working directory) wins every lookup.
bool path_prefers_writable(std::string_view value) {
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto end = std::min(value.find(':', start), value.size());
    const std::string_view entry = value.substr(start, end - start);
    if (entry == "$PATH" || entry == "${PATH}") return false;
    if (entry.empty() || entry == "." || in_world_writable_dir(entry)) return true;
    start = end + 1;
  }
  return false;
}

void analyze_alias(const Call& call, Sink& sink, Facts&) {
  for (const auto& a : call.args) {
    const auto eq = a.text.find('=');
    if (eq == std::string::npos || a.text.starts_with("-")) continue;
    const std::string name = a.text.substr(0, eq);
    if (const auto why = shadows_command(name, a.text.substr(eq + 1)); !why.empty()) {
      return sink.add("shell.hijack", call, why);
    }
  }
}

void analyze_assigning_builtin(const Call& call, Sink& sink, Facts& facts) {
  bool assigns = false;
  for (const auto& a : call.args) {
    const auto eq = a.word != nullptr ? a.word->text.find('=') : std::string::npos;
    if (eq == std::string::npos || eq == 0 || a.text.starts_with("-")) continue;
    assigns = true;
    const std::string& raw = a.word->text;
    if (const auto rule = rule_for_assignment(raw.substr(0, eq), raw.substr(eq + 1)); !rule.empty()) {
      return sink.add(rule, call, raw.substr(0, eq));
    }
  }
  const bool dumps = call.program == "export" || call.program == "declare" || call.program == "set";
  if (!assigns && dumps && (call.args.empty() || call.args[0].text == "-p" || call.args[0].text == "-x")) {
    facts.emits_secret = true;  // prints the environment
  }
}

void analyze_history(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "d", {});
  if (view.has('c')) return sink.add("files.erase_history", call, "history -c");
}

void analyze_unset(const Call& call, Sink& sink, Facts&) {
  for (const auto& a : call.args) {
    if (a.text == "HISTFILE") return sink.add("history.disable", call, "HISTFILE");
  }
}

void analyze_trap(const Call& call, Sink& sink, Facts&) {
  if (call.args.size() < 2) return;
  for (std::size_t i = 1; i < call.args.size(); ++i) {
    if (call.args[i].text == "DEBUG" || call.args[i].text == "RETURN") {
      return sink.add("shell.hijack", call, "a " + call.args[i].text + " trap runs before every command");
    }
  }
}

constexpr AnalyzerEntry k_entries[] = {
    {"alias", analyze_alias},
    {"export", analyze_assigning_builtin},
    {"declare", analyze_assigning_builtin},
    {"typeset", analyze_assigning_builtin},
    {"local", analyze_assigning_builtin},
    {"readonly", analyze_assigning_builtin},
    {"set", analyze_assigning_builtin},
    {"history", analyze_history},
    {"unset", analyze_unset},
    {"trap", analyze_trap},
};

}  // namespace

std::string shadows_command(std::string_view name, std::string_view body) {
  if (!is_common_command(name)) return {};
  auto script = shell::parse(body);
  if (!script) return "'" + std::string(name) + "' is redefined as code cmdai cannot parse";
  return shadows_command(name, *script);
}

std::string shadows_command(std::string_view name, const shell::Script& body) {
  if (!is_common_command(name)) return {};
  std::vector<std::string> programs;
  bool runs_writable = false;
  collect_programs(body, programs, runs_writable);
  if (runs_writable) return "'" + std::string(name) + "' now runs a program from a directory anyone can write";
  for (const auto& p : programs) {
    if (p != name) return "'" + std::string(name) + "' now also runs " + p;
  }
  return {};
}

std::string_view rule_for_assignment(std::string_view name, std::string_view value) {
  if (name == "LD_PRELOAD" || name == "LD_LIBRARY_PATH" || name == "LD_AUDIT") return "shell.preload";
  if (name == "PATH" && path_prefers_writable(value)) return "shell.hijack";
  if ((name == "BASH_ENV" || name == "ENV") && !value.empty()) return "shell.hijack";
  if (name == "PROMPT_COMMAND" && !value.empty()) {
    std::vector<std::string> programs;
    bool runs_writable = false;
    if (auto script = shell::parse(value)) collect_programs(*script, programs, runs_writable);
    if (runs_writable) return "shell.hijack";
  }
  if ((name == "HISTFILE" && (value == "/dev/null" || value.empty())) ||
      ((name == "HISTSIZE" || name == "HISTFILESIZE" || name == "SAVEHIST") && value == "0")) {
    return "history.disable";
  }
  return {};
}

std::span<const AnalyzerEntry> state_analyzers() { return k_entries; }

}  // namespace cmdai::safety
