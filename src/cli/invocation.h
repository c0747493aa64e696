#pragma once
// What every subcommand handler receives: the parsed command line, the Env
// and the streams to write to. Handlers return an ExitCode; errors are
// printed once, by report_error().

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.h"
#include "cli/exit_code.h"
#include "config/configuration.h"
#include "core/env.h"
#include "core/error.h"
#include "core/paths.h"

namespace cmdai::config {
class ConfigDocument;
}

namespace cmdai::cli {

enum class OutputFormat { plain, json, yaml };

struct Invocation {
  Env& env;
  ParsedArgs args;
  std::span<const std::string> words;  // positionals after the subcommand name(s)
  Paths paths;
  OutputFormat format = OutputFormat::plain;
  bool color = false;  // colours on stdout
  std::ostream& out;
  std::ostream& err;
};

// `--config FILE` names the configuration file every subcommand reads and
// writes (paths.config_file, set once by the dispatcher); `--config
// KEY=VALUE` overrides one key. A value without '=' is a file.
bool names_config_file(std::string_view value);

// The configuration layer the command line gives: --config KEY=VALUE pairs
// and the options that stand for keys (--backend, --no-color, --stream,
// --no-stream).
std::vector<config::Override> command_line_overrides(const Invocation& invocation);

// Saves doc (atomically) and records what changed against `before` in the
// configuration audit trail under source ("config set", "backends save").
ExitCode save_config_document(Invocation& invocation, const config::ConfigDocument& doc,
                              const config::ConfigurationState& before, const std::string& source);

// "cmdai: error: <message> (<hint>)" on err, and the exit code for the error.
ExitCode report_error(Invocation& invocation, const Error& error);
// The same line only, for a caller whose exit status does not follow from
// the error (guard's block, a failed --copy after the command was shown).
void show_error(Invocation& invocation, const Error& error);

// Handlers, one per subcommand group (cmd_*.cpp).
ExitCode run_generate(Invocation& invocation);
ExitCode run_explain(Invocation& invocation, const std::string& command);
ExitCode run_history(Invocation& invocation);
ExitCode run_search(Invocation& invocation);
ExitCode run_check(Invocation& invocation);
ExitCode run_config(Invocation& invocation);
ExitCode run_backends(Invocation& invocation);
ExitCode run_existing(Invocation& invocation);       // cmdai run -- COMMAND
ExitCode run_init(Invocation& invocation);           // cmdai init bash|zsh|fish
ExitCode run_doctor(Invocation& invocation);         // cmdai doctor
ExitCode run_shell_suggest(Invocation& invocation);  // hidden: the key binding's generator
ExitCode run_shell_record(Invocation& invocation);   // hidden: the shell hooks' recorder
ExitCode run_model(Invocation& invocation);
ExitCode run_eval(Invocation& invocation);         // cmdai eval FILE.tsv
ExitCode run_guard(Invocation& invocation);        // cmdai guard AGENT|install|uninstall|status|log
ExitCode run_shell_guard(Invocation& invocation);  // hidden: the shell guard's check on Enter
ExitCode run_pick(Invocation& invocation);         // cmdai pick: the history picker (Ctrl-R)
ExitCode run_embed_agent(Invocation& invocation);  // hidden: the embedding agent searches start

}  // namespace cmdai::cli
