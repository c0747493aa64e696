#include "cli/args.h"

#include <algorithm>
#include <array>

#include "core/edit_distance.h"

namespace cmdai::cli {
namespace {

constexpr std::array<FlagSpec, 60> k_flags{{
    {"help", 'h', Value::none, "", "", "show help and exit"},
    {"version", 'V', Value::none, "", "", "print the version and exit"},
    {"verbose", 'v', Value::none, "", "", "say more: the backend chosen and why, timings; -vv also a debug log"},
    {"quiet", 'q', Value::none, "", "", "print only the command (and its risk when it is not safe)"},
    {"output", 'o', Value::required, "", "FORMAT", "output format: plain, json or yaml", Complete::output_format},
    {"json", 0, Value::none, "", "", "same as --output json"},
    {"backend", 'b', Value::required, "", "NAME",
     "auto, a type (llama, ollama, openai, vllm, mlx, rules) or an instance", Complete::backend},
    {"endpoint", 0, Value::required, "", "URL", "server URL for ollama/openai/vllm/mlx"},
    {"model", 'm', Value::required, "", "NAME|PATH", "model name, or a GGUF file for llama"},
    {"shell", 's', Value::required, "", "SHELL", "target shell: bash, zsh, fish, sh, powershell", Complete::shell},
    {"cwd", 0, Value::required, "", "DIR", "working directory the command is for"},
    {"stream", 0, Value::none, "", "", "show the command live as it forms (default on a terminal)"},
    {"no-stream", 0, Value::none, "", "", "print only the final result; servers send one whole answer"},
    {"execute", 'x', Value::none, "", "", "run the command after confirmation"},
    {"dry-run", 'n', Value::none, "", "", "show what would run; never run it"},
    {"copy", 0, Value::none, "", "",
     "put the command on the clipboard (OSC 52 on a terminal, else wl-copy, xclip, xsel)"},
    {"yes", 'y', Value::none, "", "", "answer yes to y/N confirmations (never bypasses critical)"},
    {"explain", 'e', Value::required, "", "COMMAND", "explain an existing command and rate its risk"},
    {"no-fallback", 0, Value::none, "", "", "fail instead of falling back to another backend"},
    {"color", 0, Value::required, "", "WHEN",
     "auto (on a terminal, unless NO_COLOR or ui.color = false), always, never", Complete::color_when},
    {"no-color", 0, Value::none, "", "", "same as --color never"},
    {"show-config", 0, Value::none, "", "", "alias of 'config show'"},
    {"configure", 0, Value::none, "", "", "alias of 'config edit'"},
    {"config", 0, Value::required, "", "FILE|KEY=VALUE",
     "use FILE as the configuration file, or override one key for this run (repeatable)", Complete::config_key},
    {"markdown", 0, Value::none, "config", "", "config reference: print Markdown (the README's table)"},
    {"add", 0, Value::required, "config", "ITEM", "config set LIST-KEY: append one item, commas and all (repeatable)"},
    {"remove", 0, Value::required, "config", "ITEM", "config set LIST-KEY: take one item out (repeatable)"},
    {"search", 0, Value::required, "", "QUERY", "alias of 'search QUERY'"},
    {"history", 0, Value::none, "", "", "alias of 'history list'"},
    {"list-backends", 0, Value::none, "", "", "alias of 'backends list'"},
    {"limit", 'l', Value::required, "history", "N", "number of entries (default 20)"},
    {"offset", 0, Value::required, "history", "N", "entries to skip, newest first"},
    {"limit", 'l', Value::required, "search", "N", "number of results (default 10)"},
    {"jsonl", 0, Value::none, "check", "", "read JSON lines {\"command\",\"cwd\"} from stdin, write one result each"},
    {"why", 0, Value::none, "check", "", "list each rule that fired: id, level, span, and the context that raised it"},
    {"since", 0, Value::required, "search", "WHEN", "only entries newer than 7d, 12h or an ISO date"},
    {"before", 0, Value::required, "search", "WHEN", "only entries older than 7d, 12h or an ISO date"},
    {"format", 'f', Value::required, "history", "FORMAT", "export/import format: jsonl, bash, zsh, fish",
     Complete::history_format},
    {"from", 0, Value::required, "history", "TOOL",
     "import: atuin or mcfly, from their SQLite database (the path, or theirs by default)"},
    {"tag", 0, Value::required, "history", "TAG", "list: only entries with this tag"},
    {"mode", 0, Value::required, "search", "MODE", "lexical, semantic or hybrid (default)", Complete::search_mode},
    {"risk", 0, Value::required, "search", "LEVEL", "only entries of this risk level", Complete::risk_level},
    {"tag", 0, Value::required, "search", "TAG", "only entries with this tag"},
    {"here", 0, Value::none, "search", "", "only entries run in the current directory (or --cwd)"},
    {"threshold", 0, Value::required, "search", "X", "drop results scoring below X (0..1)"},
    {"all", 0, Value::none, "history", "", "reindex: embed every entry again, not only those without one"},
    {"exit", 0, Value::required, "search", "STATUS", "only entries that exited ok, nonzero or with status N"},
    {"favorites", 0, Value::none, "search", "", "only favorite entries"},
    {"team", 0, Value::none, "search", "", "search the team history on the server (team.url)"},
    {"jobs", 'j', Value::required, "eval", "N", "requests generated at once (default 1)"},
    {"min-context", 0, Value::required, "", "N", "only backends whose model has at least N tokens of context"},
    {"require-capability", 0, Value::required, "", "NAME",
     "only backends whose model can do NAME, e.g. tools (repeatable)"},
    {"model-family", 0, Value::required, "", "FAMILY", "only backends running this model family, e.g. qwen2"},
    {"source", 0, Value::required, "history", "NAME",
     "list: only entries from NAME (an agent cmdai guard checked, shell, or a backend)"},
    {"source", 0, Value::required, "search", "NAME", "only entries from NAME (same as --backend)", Complete::backend},
    {"project", 0, Value::required, "guard", "DIR", "install/uninstall/status: the project (default: here)"},
    {"user", 0, Value::none, "guard", "", "install/uninstall: the agent's settings in your home directory"},
    {"limit", 'l', Value::required, "guard", "N", "log: number of decisions (default 20)"},
    {"lines", 0, Value::required, "pick", "N", "lines from the prompt down (0: full screen; shell.picker_lines)"},
    {"guard", 0, Value::none, "init", "", "check each command line on Enter; ask before a risky one (shell.guard)"},
}};

const FlagSpec* find_long(std::string_view name, std::string_view scope) {
  for (const auto& flag : k_flags) {
    if (flag.name == name && (flag.scope.empty() || flag.scope == scope)) return &flag;
  }
  return nullptr;
}

const FlagSpec* find_short(char name, std::string_view scope) {
  for (const auto& flag : k_flags) {
    if (flag.short_name == name && (flag.scope.empty() || flag.scope == scope)) return &flag;
  }
  return nullptr;
}

Error unknown_flag(std::string_view flag, std::string_view scope) {
  std::vector<std::string> names;
  for (const auto& spec : k_flags) {
    if (spec.scope.empty() || spec.scope == scope) names.push_back("--" + std::string(spec.name));
  }
  std::string message = "unknown option '" + std::string(flag) + "'";
  if (auto near = closest(flag, names))
    return Error{ErrorCode::invalid_argument, message, "did you mean " + *near + "?"};
  return Error{ErrorCode::invalid_argument, message, "see cmdai --help"};
}

}  // namespace

std::span<const FlagSpec> flag_table() { return k_flags; }

std::string flag_usage(const FlagSpec& flag) {
  std::string words = "--" + std::string(flag.name);
  if (flag.short_name) words = std::string("-") + flag.short_name + ", " + words;
  if (!flag.value_name.empty()) words += " " + std::string(flag.value_name);
  return words;
}

std::size_t ParsedArgs::count(std::string_view name) const {
  auto it = flags.find(name);
  return it == flags.end() ? 0 : it->second.size();
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  auto it = flags.find(name);
  if (it == flags.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

Result<ParsedArgs> parse_args(std::span<const std::string> args, std::string_view scope) {
  ParsedArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      parsed.positionals.insert(parsed.positionals.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      std::optional<std::string> inline_value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      const FlagSpec* spec = find_long(name, scope);
      if (spec == nullptr) return fail(unknown_flag("--" + name, scope));
      if (spec->value == Value::required) {
        if (!inline_value) {
          if (i + 1 >= args.size()) {
            return fail(ErrorCode::invalid_argument, "option --" + name + " needs a value",
                        "e.g. --" + name + " " + std::string(spec->value_name));
          }
          inline_value = args[++i];
        }
        parsed.flags[std::string(spec->name)].push_back(*inline_value);
      } else {
        if (inline_value) return fail(ErrorCode::invalid_argument, "option --" + name + " takes no value");
        parsed.flags[std::string(spec->name)].push_back("");
      }
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9')) {
      for (std::size_t k = 1; k < arg.size(); ++k) {
        const FlagSpec* spec = find_short(arg[k], scope);
        if (spec == nullptr) return fail(unknown_flag(std::string("-") + arg[k], scope));
        if (spec->value == Value::required) {
          std::string value = arg.substr(k + 1);
          if (value.empty()) {
            if (i + 1 >= args.size()) {
              return fail(ErrorCode::invalid_argument, std::string("option -") + arg[k] + " needs a value");
            }
            value = args[++i];
          }
          parsed.flags[std::string(spec->name)].push_back(value);
          break;
        }
        parsed.flags[std::string(spec->name)].push_back("");
      }
      continue;
    }
    parsed.positionals.push_back(arg);
  }
  return parsed;
}

std::optional<std::string> closest(std::string_view word, std::span<const std::string> candidates,
                                   std::size_t max_distance) {
  std::optional<std::string> best;
  std::size_t best_distance = max_distance + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace cmdai::cli
