// cmdai init bash|zsh|fish: print the shell integration script; on the first
// interactive init for a shell, offer to import that shell's history file.

#include <unistd.h>

#include <fstream>
#include <ostream>

#include "cli/confirm.h"
#include "cli/invocation.h"
#include "cli/shell_history_import.h"
#include "cli/shell_init.h"
#include "config/configuration.h"
#include "core/terminal_text.h"
#include "core/uuid.h"
#include "semantic/agent_socket.h"
#include "semantic/embedder_factory.h"

namespace cmdai::cli {
namespace {

std::string own_binary(const Env& env) {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) return path.string();
  return env.get_var("CMDAI_BIN").value_or("cmdai");
}

// Asked once per shell (a marker beside the history database remembers it),
// and only when someone is at the terminal: the script itself goes to stdout,
// usually into eval.
void offer_import(Invocation& inv, ShellType shell) {
  if (!inv.env.is_terminal(0) || !inv.env.is_terminal(2)) return;
  const auto marker = inv.paths.history_db.parent_path() / ("shell-init-" + std::string(to_string(shell)));
  if (inv.env.file_exists(marker)) return;
  const auto file = default_shell_history_file(inv.env, shell);
  if (!file || !inv.env.file_exists(*file)) return;
  std::error_code ec;
  std::filesystem::create_directories(marker.parent_path(), ec);
  if (!inv.env.write_file_atomic(marker, "asked\n")) return;  // never ask on every shell start
  TerminalPrompter prompter;
  const auto answer = prompter.ask("cmdai: import your " + std::string(to_string(shell)) + " history (" +
                                   file->string() + ") into cmdai history? [y/N] ");
  if (!answer || (*answer != "y" && *answer != "yes")) return;
  const auto config = config::load_configuration(inv.env, inv.paths.config_file).state;
  auto imported = import_shell_history(config, inv.env, inv.paths.history_db, shell, *file);
  if (imported) {
    inv.err << "cmdai: imported " << *imported << " commands\n";
  } else {
    inv.err << "cmdai: " << imported.error().describe() << "\n";
  }
}

// The embedding agent the shell keeps loaded: the local model file's, when
// there is one and an idle time above 0.
std::optional<ShellInitOptions::EmbedAgent> embed_agent_hook(const Invocation& inv, int idle_seconds) {
  if (idle_seconds <= 0) return std::nullopt;
  const auto model = semantic::local_embedding_model(inv.env, inv.paths);
  if (!model) return std::nullopt;
  auto socket = semantic::agent_socket_path(inv.env, inv.paths.history_db.parent_path(), *model);
  if (!socket) return std::nullopt;  // the first search reports it
  return ShellInitOptions::EmbedAgent{socket->string(), semantic::agent_activity_path(*socket).string(), idle_seconds};
}

}  // namespace

ExitCode run_init(Invocation& inv) {
  if (inv.words.size() != 1) {
    return report_error(
        inv, Error{ErrorCode::invalid_argument, "init needs a shell", "eval \"$(cmdai init bash)\" (or zsh, fish)"});
  }
  auto shell = parse_shell_type(inv.words[0]);
  if (!shell) return report_error(inv, shell.error());
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  for (const auto& warning : loaded.warnings) inv.err << "cmdai: warning: " << terminal_text(warning) << "\n";
  auto key = parse_key_binding(loaded.state.shell_key_binding);
  if (!key) return report_error(inv, key.error());
  ShellInitOptions options{*shell, own_binary(inv.env), *key,
                           loaded.state.capture_shell && loaded.state.history_enabled,
                           loaded.state.shell_guard || inv.args.has("guard")};
  options.ctrl_r = loaded.state.shell_ctrl_r;
  options.session_id = make_uuid_v4();
  options.embed_agent = embed_agent_hook(inv, loaded.state.embed_agent_idle_seconds);
  auto script = shell_init_script(options);
  if (!script) return report_error(inv, script.error());
  offer_import(inv, *shell);
  inv.out << *script;
  return ExitCode::ok;
}

}  // namespace cmdai::cli
