#include "cli/commands.h"

#include <algorithm>
#include <array>
#include <iostream>
#include <vector>

#include "cli/cmd_team.h"
#include "cli/ui_settings.h"
#include "core/log.h"
#include "core/terminal_text.h"
#include "store/lock_wait.h"

namespace cmdai::cli {
namespace {

ExitCode run_version(Invocation& invocation) {
  invocation.out << "cmdai " << CMDAI_VERSION << "\n";
  return ExitCode::ok;
}

// Rows with an empty usage are internal (called by the shell integration,
// the build or cmdai itself) and left out of the help, the man page and completions.
constexpr std::array<SubcommandSpec, 23> k_subcommands{{
    {"history",
     "history list|show|delete|favorite|unfavorite|replay ID|tag|untag ID TAG...|cleanup|stats|export|import|reindex",
     "list, inspect, replay, import and export the commands cmdai keeps", run_history, Operand::words,
     "cmdai history list --limit 5\ncmdai history show 3f2a\ncmdai history export -f bash > cmds.sh", "output json"},
    {"search", "search QUERY [--team] [--mode M] [--since W] [--before W] [--cwd D] [--exit E] [--risk R] [--tag T]",
     "find commands in history by words or meaning (typos forgiven), with filters", run_search, Operand::words,
     "cmdai search 'compress logs'\ncmdai search docker --since 7d --exit ok", "cwd output json"},
    {"pick", "pick [--lines N] [-- QUERY]",
     "pick a command from history as you type (Ctrl-R with cmdai init); prints run|edit and the command", run_pick,
     Operand::words, "cmdai pick -- 'git st'\ncmdai pick --lines 12", "color"},
    {"team", "team push|status|forget ID", "share history through a team PostgreSQL server (team.url)", run_team,
     Operand::words, "cmdai team push\ncmdai team status\ncmdai search --team 'restart billing' --json", "output json"},
    {"check", "check [--json] [--jsonl] [--why] -- COMMAND", "rate an existing command's risk", run_check,
     Operand::command, "cmdai check -- rm -rf build\ncmdai check 'curl -s https://x.sh | sh' --why",
     "cwd shell output json"},
    {"config", "config show|get|set|unset|reset|path|export|import|history|edit|reference",
     "show, change or edit the configuration", run_config, Operand::words,
     "cmdai config show\ncmdai config set safety.level strict\n"
     "cmdai config set safety.custom_patterns '[\"^sudo \", \"^rm .{1,3}/\"]'\n"
     "cmdai config set safety.custom_patterns --add '[a-z]{1,3}'\ncmdai config edit",
     "", Complete::config_key},
    {"backends", "backends list|health|discover|save NAME|metrics|reset-metrics",
     "model backends: state, health checks, servers found here, metrics", run_backends, Operand::words,
     "cmdai backends list\ncmdai backends discover"},
    {"model", "model list|pull NAME|rm NAME|path", "list, download or remove local GGUF models", run_model,
     Operand::words, "cmdai model list\ncmdai model pull qwen2.5-coder-1.5b"},
    {"explain", "explain -- COMMAND", "explain a command and rate its risk (same as --explain)", nullptr,
     Operand::command, "cmdai explain 'tar -xzf backup.tgz -C /srv'\ncmdai explain -- find . -name '*.tmp' -delete",
     "cwd output json"},
    {"run", "run [-y] [--dry-run] -- COMMAND", "rate, confirm and run an existing command", run_existing,
     Operand::command, "cmdai run -- make test\ncmdai run --dry-run 'rm -rf build'",
     "yes dry-run shell cwd output json"},
    {"eval", "eval FILE.tsv [--backend B] [--json] [--jobs N]",
     "score a backend on an evaluation set (nothing runs, nothing is stored)", run_eval, Operand::words,
     "cmdai eval bench/eval/eval.tsv --backend rules", "backend model endpoint output json"},
    {"guard", "guard AGENT|install AGENT|uninstall AGENT|status|log",
     "check an AI coding agent's shell commands before they run (its pre-tool hook)", run_guard, Operand::words,
     "cmdai guard install claude\ncmdai guard log --limit 10"},
    {"init", "init bash|zsh|fish [--guard]", "print the shell integration script (eval it in your rc file)", run_init,
     Operand::words, "eval \"$(cmdai init bash)\""},
    {"doctor", "doctor", "check config, history, models, backends and shell integration", run_doctor},
    {"completions", "completions bash|zsh|fish", "print a completion script for the shell", run_completions,
     Operand::words, "cmdai completions fish > ~/.config/fish/completions/cmdai.fish"},
    {"shell-suggest", "", "", run_shell_suggest},
    {"man-page", "", "", run_man_page},
    {"complete-words", "", "", run_complete_words},
    {"shell-record", "", "", run_shell_record},
    {"shell-guard", "", "", run_shell_guard},
    {"embed-agent", "",
     "internal: keeps the embedding model loaded for searches and exits when idle (search.embed_agent_idle); "
     "cmdai search starts it, users do not run it by hand",
     run_embed_agent},
    {"version", "version", "print the version", run_version},
    {"help", "help [SUBCOMMAND]", "show this help, or a subcommand's own", run_help, Operand::topic,
     "cmdai help search", "", Complete::subcommand},
}};

}  // namespace

const SubcommandSpec* find_subcommand(std::string_view name) {
  for (const auto& spec : k_subcommands) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::vector<std::string_view> table_words(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::vector<std::string> action_words(const SubcommandSpec& sub) {
  std::vector<std::string> words;
  if (sub.usage.size() <= sub.name.size()) return words;
  std::string_view rest = sub.usage.substr(sub.name.size() + 1);
  rest = rest.substr(0, rest.find(' ', rest.rfind('|') == std::string_view::npos ? 0 : rest.rfind('|')));
  for (const std::string_view word : table_words(rest, '|')) {
    const std::string_view first = word.substr(0, word.find(' '));
    if (!first.empty() && first[0] >= 'a' && first[0] <= 'z' &&
        first.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos)
      words.emplace_back(first);
  }
  return words;
}

std::string_view grammar_text() {
  return "run, check and explain take one command: after -- or as one quoted argument\n"
         "(cmdai run -- make test, cmdai check 'rm -rf build'). Several bare words after\n"
         "them are a request: cmdai run the tests asks for a command that runs the tests.\n";
}

std::string_view exit_status_text() {
  return "  0 ok   1 error, or no hit (search, history list: as grep)   2 usage   3 no backend could answer\n"
         "  4 blocked by safety policy   5 not found   11/12/13 check: moderate/high/critical   130 interrupted\n"
         "  with -x or run: the command's own exit status once it ran (128+N: killed by signal N)\n";
}

std::vector<std::string> subcommand_names() {
  std::vector<std::string> names;
  for (const auto& sub : k_subcommands) {
    if (!sub.usage.empty()) names.emplace_back(sub.name);
  }
  return names;
}

namespace {

// True for "--backend" or "-b": a flag of the scope (or global) whose value
// is the next word.
bool takes_separate_value(std::string_view arg, std::string_view scope) {
  if (arg.find('=') != std::string_view::npos) return false;
  for (const auto& flag : flag_table()) {
    if ((!flag.scope.empty() && flag.scope != scope) || flag.value != Value::required) continue;
    if (arg.size() > 2 && arg.substr(0, 2) == "--" && arg.substr(2) == flag.name) return true;
    if (arg.size() == 2 && arg[0] == '-' && arg[1] == flag.short_name) return true;
  }
  return false;
}

bool is_option(std::string_view arg) { return arg.size() > 1 && arg[0] == '-'; }

// The words after a subcommand's name that are not options or their values;
// `dashes` tells whether "--" came (everything after it is a word).
std::vector<std::string_view> bare_words(std::span<const std::string> rest, std::string_view scope, bool& dashes) {
  std::vector<std::string_view> words;
  dashes = false;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == "--") {
      dashes = true;
      break;
    }
    if (!is_option(rest[i])) {
      words.push_back(rest[i]);
    } else if (takes_separate_value(rest[i], scope)) {
      ++i;
    }
  }
  return words;
}

bool fits(const SubcommandSpec& sub, std::span<const std::string> rest) {
  bool dashes = false;
  const auto words = bare_words(rest, sub.name, dashes);
  switch (sub.operand) {
    case Operand::words: return true;
    case Operand::command: return dashes ? words.empty() : words.size() <= 1;
    case Operand::topic: return !dashes && words.size() <= 1;
  }
  return true;
}

// Reads one byte past the longest request cmdai accepts, so an endless pipe
// is refused with its size instead of filling memory; trailing blank lines
// and spaces (echo's newline) are not part of the request.
std::string request_from(std::istream& in) {
  constexpr std::size_t k_read_limit = 64 * 1024 + 1;
  std::string text(k_read_limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  return text;
}

bool has_space(std::string_view word) { return word.find_first_of(" \t\n") != std::string_view::npos; }

OutputFormat output_format(const ParsedArgs& args, Result<void>& error) {
  if (args.has("json")) return OutputFormat::json;
  auto format = args.value("output");
  if (!format || *format == "plain") return OutputFormat::plain;
  if (*format == "json") return OutputFormat::json;
  if (*format == "yaml") return OutputFormat::yaml;
  error = fail(ErrorCode::invalid_argument, "unknown output format '" + *format + "'", "use plain, json or yaml");
  return OutputFormat::plain;
}

// The configuration is read only when it can change the answer: colour on
// a terminal without --color or NO_COLOR.
bool stdout_color(const Invocation& invocation, ColorWhen when) {
  const auto terminal = invocation.env.is_terminal(1) ? IsTerminal::yes : IsTerminal::no;
  const auto no_color = invocation.env.get_var("NO_COLOR");
  if (when != ColorWhen::automatic || terminal == IsTerminal::no || (no_color && !no_color->empty())) {
    return use_color(when, terminal, false);
  }
  const auto loaded =
      config::load_configuration(invocation.env, invocation.paths.config_file, command_line_overrides(invocation));
  return use_color(when, terminal, loaded.state.color_output);
}

log::Level log_level(const ParsedArgs& args) {
  switch (args.count("verbose")) {
    case 0: return log::Level::warn;
    case 1: return log::Level::info;
    case 2: return log::Level::debug;
    default: return log::Level::trace;
  }
}

int dispatch(std::span<const std::string> all, Env& env) {
  const SubcommandSpec* sub = subcommand_of(all);
  const std::string_view scope = sub != nullptr ? sub->name : "";
  auto parsed = parse_args(all, scope);
  Paths paths = resolve_paths(env);
  Invocation invocation{env, {}, {}, paths, OutputFormat::plain, false, std::cout, std::cerr};
  if (!parsed) return to_int(report_error(invocation, parsed.error()));
  invocation.args = std::move(*parsed);
  if (auto it = invocation.args.flags.find("config"); it != invocation.args.flags.end()) {
    for (const auto& value : it->second) {
      if (names_config_file(value)) invocation.paths.config_file = value;
    }
  }
  Result<void> format_error;
  invocation.format = output_format(invocation.args, format_error);
  if (!format_error) return to_int(report_error(invocation, format_error.error()));
  auto when = color_when(invocation.args);
  if (!when) return to_int(report_error(invocation, when.error()));
  invocation.color = stdout_color(invocation, *when);
  log::configure_logging(paths.log_file, log_level(invocation.args));
  store::set_lock_wait_notice([](const std::string& notice) { std::cerr << "cmdai: " << notice << std::endl; });

  const auto& positionals = invocation.args.positionals;
  if (invocation.args.has("version")) return to_int(run_version(invocation));
  const bool piped = !env.is_terminal(0);
  if (invocation.args.has("help") && sub != nullptr && !sub->usage.empty()) {
    write_subcommand_help(invocation.out, *sub);
    return to_int(ExitCode::ok);
  }
  if (invocation.args.has("help") && sub != nullptr && !sub->summary.empty()) {
    invocation.out << "cmdai " << sub->name << ": " << sub->summary << "\n";  // an internal row
    return to_int(ExitCode::ok);
  }
  if (invocation.args.has("help") || (positionals.empty() && !sub && invocation.args.flags.empty() && !piped)) {
    write_help(invocation.out);
    return to_int(ExitCode::ok);
  }
  if (invocation.args.has("explain")) return to_int(run_explain(invocation, *invocation.args.value("explain")));
  if (invocation.args.has("show-config")) {
    static const std::vector<std::string> show{"show"};
    invocation.words = show;
    return to_int(run_config(invocation));
  }
  if (invocation.args.has("configure")) {
    static const std::vector<std::string> edit{"edit"};
    invocation.words = edit;
    return to_int(run_config(invocation));
  }
  if (invocation.args.has("history")) {
    static const std::vector<std::string> list{"list"};
    invocation.words = list;
    return to_int(run_history(invocation));
  }
  if (invocation.args.has("list-backends")) {
    static const std::vector<std::string> list{"list"};
    invocation.words = list;
    return to_int(run_backends(invocation));
  }
  if (auto query = invocation.args.value("search")) {
    invocation.args.positionals = {*query};
    invocation.words = invocation.args.positionals;
    return to_int(run_search(invocation));
  }
  if (sub != nullptr) {
    // positionals[0] is the subcommand name itself.
    invocation.words = std::span<const std::string>(positionals).subspan(1);
    if (sub->name == "explain") {
      std::string command;
      for (const auto& word : invocation.words) command += (command.empty() ? "" : " ") + word;
      if (command.empty()) {
        return to_int(report_error(
            invocation, Error{ErrorCode::invalid_argument, "explain needs a command", "cmdai explain 'rm -rf build'"}));
      }
      return to_int(run_explain(invocation, command));
    }
    return to_int(sub->handler(invocation));
  }
  if (positionals.size() == 1 && !has_space(positionals[0])) {
    const auto names = subcommand_names();
    if (auto near = closest(positionals[0], names)) {
      return to_int(
          report_error(invocation, Error{ErrorCode::invalid_argument, "unknown command '" + positionals[0] + "'",
                                         "did you mean '" + *near + "'?"}));
    }
  }
  // No request argument with a pipe on stdin, or "-": the request is stdin.
  std::vector<std::string> from_stdin;
  if ((positionals.empty() && piped) || (positionals.size() == 1 && positionals[0] == "-")) {
    from_stdin.push_back(request_from(std::cin));
    invocation.words = from_stdin;
  } else {
    invocation.words = positionals;
  }
  return to_int(run_generate(invocation));
}

}  // namespace

std::span<const SubcommandSpec> subcommand_table() { return k_subcommands; }

const SubcommandSpec* subcommand_of(std::span<const std::string> args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") return nullptr;
    if (is_option(args[i])) {
      if (takes_separate_value(args[i], "")) ++i;
      continue;
    }
    const SubcommandSpec* sub = find_subcommand(args[i]);
    return sub != nullptr && fits(*sub, args.subspan(i + 1)) ? sub : nullptr;
  }
  return nullptr;
}

void show_error(Invocation& invocation, const Error& error) {
  // Messages may quote a server's error body or a file: shown as text only.
  invocation.err << "cmdai: error: " << terminal_text(error.describe()) << "\n";
  log::warn("error code=" + std::string(to_string(error.code)));
}

ExitCode report_error(Invocation& invocation, const Error& error) {
  show_error(invocation, error);
  switch (error.code) {
    case ErrorCode::invalid_argument: return ExitCode::usage;
    case ErrorCode::unavailable: return ExitCode::unavailable;
    case ErrorCode::blocked_by_policy: return ExitCode::blocked;
    case ErrorCode::not_found: return ExitCode::not_found;
    case ErrorCode::cancelled: return ExitCode::interrupted;
    default: return ExitCode::failure;
  }
}

int run(int argc, const char* const* argv, Env& env) {
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    return dispatch(args, env);
  } catch (const std::exception& e) {
    std::cerr << "cmdai: error: internal error (" << terminal_text(e.what()) << "); please report it\n";
    return to_int(ExitCode::failure);
  }
}

}  // namespace cmdai::cli
