#include "cli/commands.h"

#include <array>
#include <iostream>
#include <vector>

#include "cli/cmd_team.h"
#include "core/log.h"
#include "core/terminal_text.h"
#include "store/lock_wait.h"

namespace cmdai::cli {
namespace {

ExitCode run_version(Invocation& invocation) {
  invocation.out << "cmdai " << CMDAI_VERSION << "\n";
  return ExitCode::ok;
}

ExitCode run_help(Invocation& invocation);

// Rows with an empty usage are internal (called by the shell integration)
// and left out of the help.
constexpr std::array<SubcommandSpec, 20> k_subcommands{{
    {"history", "history list|show|delete|favorite|unfavorite|replay ID|cleanup|stats|export|import|reindex",
     "list, inspect, replay, import and export the commands cmdai keeps", run_history},
    {"search", "search QUERY [--team] [--mode M] [--since W] [--before W] [--cwd D] [--exit E] [--risk R] [--tag T]",
     "find commands in history by words or meaning (typos forgiven), with filters", run_search},
    {"team", "team push|status|forget ID", "share history through a team PostgreSQL server (team.url)", run_team},
    {"check", "check [--json] [--jsonl] -- COMMAND", "rate an existing command's risk", run_check},
    {"config", "config show|get|set|unset|reset|path|export|import|history|edit|reference",
     "show, change or edit the configuration", run_config},
    {"backends", "backends list|health|discover|save NAME|metrics|reset-metrics",
     "model backends: state, health checks, servers found here, metrics", run_backends},
    {"model", "model list|pull NAME|rm NAME|path", "list, download or remove local GGUF models", run_model},
    {"explain", "explain COMMAND", "explain a command and rate its risk (same as --explain)", nullptr},
    {"run", "run [-y] [--dry-run] -- COMMAND", "rate, confirm and run an existing command", run_existing},
    {"eval", "eval FILE.tsv [--backend B] [--json] [--jobs N]",
     "score a backend on an evaluation set (nothing runs, nothing is stored)", run_eval},
    {"guard", "guard AGENT|install AGENT|uninstall AGENT|status|log",
     "check an AI coding agent's shell commands before they run (its pre-tool hook)", run_guard},
    {"init", "init bash|zsh|fish [--guard]", "print the shell integration script (eval it in your rc file)", run_init},
    {"doctor", "doctor", "check config, history, models, backends and shell integration", run_doctor},
    {"completions", "completions bash|zsh|fish", "print a completion script for the shell", run_completions},
    {"shell-suggest", "", "", run_shell_suggest},
    {"man-page", "", "", run_man_page},
    {"shell-record", "", "", run_shell_record},
    {"shell-guard", "", "", run_shell_guard},
    {"version", "version", "print the version", run_version},
    {"help", "help", "show this help", run_help},
}};

ExitCode run_help(Invocation& invocation) {
  std::ostream& out = invocation.out;
  out << "cmdai " << CMDAI_VERSION << " - turn a request into a shell command, rate its risk, remember it\n\n"
      << "Usage:\n  cmdai [OPTIONS] \"REQUEST\"        generate a command for the request\n";
  for (const auto& sub : k_subcommands) {
    if (sub.usage.empty()) continue;
    std::string usage = "cmdai " + std::string(sub.usage);
    out << "  " << usage << std::string(usage.size() < 32 ? 32 - usage.size() : 1, ' ') << sub.summary << "\n";
  }
  out << "\nOptions:\n";
  for (const auto& flag : flag_table()) {
    std::string left = "  ";
    left += flag.short_name ? std::string("-") + flag.short_name + ", " : "    ";
    left += "--" + std::string(flag.name);
    if (!flag.value_name.empty()) left += " " + std::string(flag.value_name);
    if (!flag.scope.empty()) left += " (" + std::string(flag.scope) + ")";
    out << left << std::string(left.size() < 36 ? 36 - left.size() : 1, ' ') << flag.help << "\n";
  }
  out << "\nExit status:\n"
      << exit_status_text()
      << "\nFiles: config, history, models and log follow XDG; CMDAI_HOME puts them all in one directory.\n";
  return ExitCode::ok;
}

}  // namespace

std::string_view exit_status_text() {
  return "  0 ok   1 error, or no hit (search, history list: as grep)   2 usage   3 no backend could answer\n"
         "  4 blocked by safety policy   5 not found   11/12/13 check: moderate/high/critical   130 interrupted\n"
         "  with -x or run: the command's own exit status once it ran (128+N: killed by signal N)\n";
}

namespace {

std::vector<std::string> subcommand_names() {
  std::vector<std::string> names;
  for (const auto& sub : k_subcommands) {
    if (!sub.usage.empty()) names.emplace_back(sub.name);
  }
  return names;
}

// True for "--backend" or "-b" (a global flag whose value is the next word).
bool takes_separate_value(std::string_view arg) {
  if (arg.find('=') != std::string_view::npos) return false;
  for (const auto& flag : flag_table()) {
    if (!flag.scope.empty() || flag.value != Value::required) continue;
    if (arg.size() > 2 && arg.substr(0, 2) == "--" && arg.substr(2) == flag.name) return true;
    if (arg.size() == 2 && arg[0] == '-' && arg[1] == flag.short_name) return true;
  }
  return false;
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

log::Level log_level(const ParsedArgs& args) {
  switch (args.count("verbose")) {
    case 0: return log::Level::warn;
    case 1: return log::Level::info;
    case 2: return log::Level::debug;
    default: return log::Level::trace;
  }
}

int dispatch(std::span<const std::string> all, Env& env) {
  // The subcommand, if any, is the first word that is not an option.
  std::string_view scope;
  const SubcommandSpec* sub = nullptr;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i] == "--") break;
    if (!all[i].empty() && all[i][0] == '-') {
      if (takes_separate_value(all[i])) ++i;
      continue;
    }
    for (const auto& spec : k_subcommands) {
      if (spec.name == all[i]) {
        sub = &spec;
        scope = spec.name;
      }
    }
    break;
  }
  auto parsed = parse_args(all, scope);
  Paths paths = resolve_paths(env);
  Invocation invocation{env, {}, {}, paths, OutputFormat::plain, false, std::cout, std::cerr};
  if (!parsed) return to_int(report_error(invocation, parsed.error()));
  invocation.args = std::move(*parsed);
  Result<void> format_error;
  invocation.format = output_format(invocation.args, format_error);
  if (!format_error) return to_int(report_error(invocation, format_error.error()));
  invocation.color = env.is_terminal(1) && !env.get_var("NO_COLOR") && !invocation.args.has("no-color");
  log::configure_logging(paths.log_file, log_level(invocation.args));
  store::set_lock_wait_notice([](const std::string& notice) { std::cerr << "cmdai: " << notice << std::endl; });

  const auto& positionals = invocation.args.positionals;
  if (invocation.args.has("version")) return to_int(run_version(invocation));
  const bool piped = !env.is_terminal(0);
  if (invocation.args.has("help") || (positionals.empty() && !sub && invocation.args.flags.empty() && !piped)) {
    return to_int(run_help(invocation));
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

ExitCode report_error(Invocation& invocation, const Error& error) {
  // Messages may quote a server's error body or a file: shown as text only.
  invocation.err << "cmdai: error: " << terminal_text(error.describe()) << "\n";
  log::warn("error code=" + std::string(to_string(error.code)));
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
