// cmdai guard AGENT                 the agent's pre-tool hook: event on stdin, answer on stdout
// cmdai guard install AGENT [--project DIR | --user]
// cmdai guard uninstall AGENT [--project DIR | --user]
// cmdai guard status [--project DIR]
// cmdai guard log [AGENT] [--limit N] [--json]
//
// The hook fails closed: an event cmdai cannot read, an error inside cmdai or
// a decision later than guard.timeout_ms answers with a block (exit 2, the
// reason on stderr), never with "allow".

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <ostream>

#include "cli/guard_check.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "core/entity_json.h"
#include "core/shell_quote.h"
#include "core/terminal_text.h"
#include "core/time.h"
#include "guard/answer.h"
#include "guard/deadline.h"
#include "guard/hook_event.h"
#include "guard/settings_file.h"
#include "history/history_store.h"
#include "pipeline/settings.h"

namespace cmdai::cli {
namespace {

// The whole of stdin, up to one byte more than an event may have.
std::string read_stdin() {
  std::string text;
  char buffer[1 << 16];
  while (text.size() <= guard::k_max_event_bytes) {
    std::cin.read(buffer, sizeof buffer);
    if (std::cin.gcount() <= 0) break;
    text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
  }
  return text;
}

std::string blocked_because(const std::string& what) {
  return "cmdai guard blocked this command because " + what + ". Nothing ran.";
}

guard::Answer decide_event(Invocation& inv, const guard::Protocol& protocol, const config::ConfigurationState& state) {
  auto event = guard::read_event(protocol, read_stdin());
  if (!event) return guard::block_answer(protocol, blocked_because(event.error().describe()));
  if (!event->is_shell) return guard::answer_for(protocol, guard::Decision{});  // other tools pass untouched
  if (state.execution_refused) {
    // The user's guard.* actions and deny list are unknown: deciding on
    // defaults could allow what they deny (config/configuration.h).
    return guard::block_answer(protocol, blocked_because("the cmdai configuration file cannot be used (" +
                                                         *state.execution_refused + "); fix it and retry"));
  }
  guard::Policy policy = guard_policy(state);
  if (!protocol.can_ask) policy.cannot_ask = std::string(protocol.display_name);
  policy.can_allow = protocol.can_allow;
  const std::string cwd = event->cwd.empty() ? inv.env.current_dir() : event->cwd;
  auto check = check_for_guard(inv.env, state, policy, event->command, cwd);
  if (!check)
    return guard::block_answer(protocol, blocked_because("it could not rate it: " + check.error().describe()));
  guard::AuditRecord record{
      std::string(protocol.name), event->session_id,      cwd,          event->command, check->decision,
      check->safety_score,        check->validation_time, inv.env.now()};
  if (auto audited = audit_guard_decision(inv.env, state, inv.paths, record); !audited) {
    return guard::block_answer(protocol, blocked_because("it could not record its decision in the history (" +
                                                         audited.error().describe() + ")"));
  }
  return guard::answer_for(protocol, check->decision);
}

ExitCode run_hook(Invocation& inv, const guard::Protocol& protocol) {
  const auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  const auto timeout = std::chrono::milliseconds(loaded.state.guard_timeout_ms);
  guard::Deadline deadline(timeout, guard::block_answer(protocol, blocked_because("it did not decide within " +
                                                                                  std::to_string(timeout.count()) +
                                                                                  " ms (guard.timeout_ms)")));
  guard::Answer answer;
  try {
    answer = decide_event(inv, protocol, loaded.state);
  } catch (const std::exception& e) {
    // Failing closed is the point of guard mode: any failure blocks.
    answer = guard::block_answer(protocol, blocked_because(std::string("of an internal error (") + e.what() + ")"));
  }
  deadline.disarm();
  inv.out << answer.out << std::flush;
  inv.err << answer.err << std::flush;
  return answer.exit_code == 0 ? ExitCode::ok : ExitCode::guard_block;
}

// The protocol named by the word after an action ("install claude-code").
Result<const guard::Protocol*> agent_word(const Invocation& inv, std::string_view action) {
  if (inv.words.size() != 2) {
    return fail(ErrorCode::invalid_argument, "guard " + std::string(action) + " needs one agent",
                "one of " + guard::agent_names());
  }
  if (const auto* protocol = guard::find_protocol(inv.words[1])) return protocol;
  return fail(ErrorCode::invalid_argument, "unknown agent '" + inv.words[1] + "'", "one of " + guard::agent_names());
}

Result<std::filesystem::path> settings_file_for(const Invocation& inv, const guard::Protocol& protocol) {
  if (inv.args.has("user") && inv.args.has("project")) {
    return fail(ErrorCode::invalid_argument, "--project and --user name two places", "give one of them");
  }
  const auto scope = inv.args.has("user") ? guard::Scope::user : guard::Scope::project;
  const std::filesystem::path project = inv.args.value("project").value_or(inv.env.current_dir());
  if (scope == guard::Scope::project && !std::filesystem::is_directory(project)) {
    return fail(ErrorCode::not_found, "no directory " + project.string(), "--project names the project's directory");
  }
  return guard::settings_path(protocol, scope, std::filesystem::absolute(project), inv.env.home_dir());
}

// The command the agent will run: this cmdai by its absolute path, so the
// agent's PATH does not matter.
std::string hook_command(const guard::Protocol& protocol) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::string("cmdai") : shell_quote(self.string())) + " guard " + std::string(protocol.name);
}

ExitCode install(Invocation& inv) {
  auto protocol = agent_word(inv, "install");
  if (!protocol) return report_error(inv, protocol.error());
  auto file = settings_file_for(inv, **protocol);
  if (!file) return report_error(inv, file.error());
  const std::string command = hook_command(**protocol);
  auto change = guard::install_hook(inv.env, **protocol, *file, command);
  if (!change) return report_error(inv, change.error());
  inv.out << (change->changed ? "installed" : "already installed") << ": " << (*protocol)->display_name << " runs `"
          << command << "` before each shell command (" << file->string() << ")\n";
  if (change->backup) inv.out << "the file as it was: " << change->backup->string() << "\n";
  inv.err << "cmdai: warning: if that cmdai binary is moved or removed, " << (*protocol)->display_name
          << " runs commands unchecked (a hook that cannot start fails open); run `cmdai guard status` after "
             "upgrades\n";
  if (auto note = guard::install_note(**protocol); !note.empty()) inv.out << "note: " << note << "\n";
  return ExitCode::ok;
}

ExitCode uninstall(Invocation& inv) {
  auto protocol = agent_word(inv, "uninstall");
  if (!protocol) return report_error(inv, protocol.error());
  auto file = settings_file_for(inv, **protocol);
  if (!file) return report_error(inv, file.error());
  auto change = guard::uninstall_hook(inv.env, **protocol, *file);
  if (!change) return report_error(inv, change.error());
  if (!change->changed) {
    inv.out << "not installed in " << file->string() << "; nothing changed\n";
  } else {
    inv.out << "removed cmdai guard from " << file->string()
            << (change->removed_file ? " (the file cmdai had created)" : "") << "\n";
  }
  return ExitCode::ok;
}

// "installed: cmdai found" / "installed: /old/cmdai is MISSING (fails open)".
std::string describe_hook(const std::string& command) {
  const std::string program = command.substr(0, command.rfind(" guard "));
  std::string path = program;
  if (path.size() >= 2 && path.front() == '\'' && path.back() == '\'') path = path.substr(1, path.size() - 2);
  if (path.find('/') == std::string::npos) return "installed: `" + command + "` (cmdai from the agent's PATH)";
  if (std::filesystem::exists(path)) return "installed: `" + command + "`";
  return "installed, but " + path + " is MISSING: the agent runs commands unchecked; run cmdai guard install again";
}

ExitCode status(Invocation& inv) {
  const std::filesystem::path project =
      std::filesystem::absolute(inv.args.value("project").value_or(inv.env.current_dir()));
  for (const auto& protocol : guard::protocols()) {
    for (const auto scope : {guard::Scope::project, guard::Scope::user}) {
      const auto file = guard::settings_path(protocol, scope, project, inv.env.home_dir());
      auto hooks = guard::installed_hooks(inv.env, protocol, file);
      std::string state = !hooks           ? "unreadable: " + hooks.error().message
                          : hooks->empty() ? "not installed"
                                           : describe_hook(hooks->front());
      inv.out << protocol.name << std::string(protocol.name.size() < 12 ? 12 - protocol.name.size() : 1, ' ')
              << guard::to_string(scope) << (scope == guard::Scope::user ? "     " : "  ") << file.string() << "\n    "
              << state << "\n";
    }
  }
  auto allow = guard::load_allow_list(inv.env, project);
  if (!allow) {
    inv.out << "project allow file: not used: " << allow.error().describe() << "\n";
  } else if (!allow->file.empty()) {
    inv.out << "project allow file: " << allow->file.string() << " (" << allow->entries.size() << " allows)\n";
  }
  return ExitCode::ok;
}

nlohmann::json decision_json(const guard::LoggedDecision& d) {
  return {{"id", d.id},
          {"timestamp", format_iso8601(d.at)},
          {"agent", d.agent},
          {"session_id", d.session_id},
          {"cwd", d.cwd},
          {"command", d.command},
          {"risk_level", to_string(d.level)},
          {"decision", d.verdict ? std::string(guard::to_string(*d.verdict)) : std::string("unknown")},
          {"rule_ids", d.rule_ids},
          {"reason", d.reason}};
}

ExitCode log(Invocation& inv) {
  std::int64_t limit = 20;
  if (auto text = inv.args.value("limit")) {
    char* end = nullptr;
    limit = std::strtoll(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || limit <= 0) {
      return report_error(inv, Error{ErrorCode::invalid_argument, "--limit must be a positive number", {}});
    }
  }
  const std::optional<std::string> agent = inv.words.size() > 1 ? std::optional(inv.words[1]) : std::nullopt;
  const auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  auto store = history::HistoryStore::open(inv.paths.history_db, pipeline::history_options(loaded.state, inv.env));
  if (!store) return report_error(inv, store.error());
  auto decisions = guard::last_decisions(*store, limit, agent);
  if (!decisions) return report_error(inv, decisions.error());
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : *decisions) out.push_back(decision_json(d));
    write_structured(inv, out);
    return ExitCode::ok;
  }
  if (decisions->empty()) inv.err << "cmdai: no guard decisions recorded yet\n";
  for (const auto& d : *decisions) {
    const std::string verdict = d.verdict ? std::string(guard::to_string(*d.verdict)) : "?";
    inv.out << format_iso8601(d.at) << "  " << d.agent << "  " << risk_color(d.level, inv.color) << verdict << " "
            << to_string(d.level) << reset_color(inv.color) << "  " << d.cwd << "\n    " << d.command << "\n";
    if (!d.rule_ids.empty()) {
      std::string rules;
      for (const auto& id : d.rule_ids) rules += (rules.empty() ? "" : ", ") + id;
      inv.out << "    " << dim(inv.color) << rules << reset_color(inv.color) << "\n";
    }
  }
  return ExitCode::ok;
}

// Levels from shell.guard_level up are asked about; the deny list too (a
// person can still say yes).
guard::Policy shell_policy(const config::ConfigurationState& state) {
  guard::Policy policy;
  for (std::size_t i = 0; i < policy.by_level.size(); ++i) {
    policy.by_level[i] =
        i >= static_cast<std::size_t>(state.shell_guard_level) ? guard::Verdict::ask : guard::Verdict::pass;
  }
  return policy;
}

}  // namespace

// cmdai shell-guard -- SHELL LINE: exit 0 when the line may run at once;
// otherwise exit 4 with what cmdai found on stderr, and the ask recorded.
ExitCode run_shell_guard(Invocation& inv) {
  if (inv.words.size() != 2) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "shell-guard needs SHELL LINE", {}});
  }
  auto shell = parse_shell_type(inv.words[0]);
  if (!shell) return report_error(inv, shell.error());
  const auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  if (loaded.state.execution_refused) {
    inv.err << "cmdai: the configuration file cannot be used (" << terminal_text(*loaded.state.execution_refused)
            << "); every line is asked about until it is fixed\n";
    return ExitCode::blocked;
  }
  const std::string cwd = inv.env.current_dir();
  auto check = check_for_guard(inv.env, loaded.state, shell_policy(loaded.state), inv.words[1], cwd);
  if (!check) return report_error(inv, check.error());
  if (check->decision.verdict == guard::Verdict::pass) return ExitCode::ok;
  check->decision.verdict = guard::Verdict::ask;
  guard::AuditRecord record{
      "shell", "", cwd, inv.words[1], check->decision, check->safety_score, check->validation_time, inv.env.now()};
  if (auto audited = audit_guard_decision(inv.env, loaded.state, inv.paths, record); !audited) {
    inv.err << "cmdai: warning: the decision was not recorded: " << audited.error().describe() << "\n";
  }
  inv.err << check->decision.summary << "\n";
  if (!check->decision.alternative.empty()) inv.err << "  safer: " << check->decision.alternative << "\n";
  return ExitCode::blocked;
}

ExitCode run_guard(Invocation& inv) {
  if (inv.words.empty()) {
    return report_error(inv,
                        Error{ErrorCode::invalid_argument, "guard needs an agent or an action",
                              "cmdai guard claude-code (as the agent's hook), or guard install|uninstall|status|log"});
  }
  const std::string& word = inv.words[0];
  if (word == "install") return install(inv);
  if (word == "uninstall") return uninstall(inv);
  if (word == "status") return status(inv);
  if (word == "log") return log(inv);
  if (const auto* protocol = guard::find_protocol(word)) return run_hook(inv, *protocol);
  std::vector<std::string> names{"install", "uninstall", "status", "log"};
  for (const auto& protocol : guard::protocols()) names.emplace_back(protocol.name);
  const auto near = closest(word, names);
  // An agent running a misspelt hook must still be blocked: exit 2.
  show_error(inv, Error{ErrorCode::invalid_argument, "unknown guard agent or action '" + word + "'",
                        near ? "did you mean '" + *near + "'?" : "one of " + guard::agent_names()});
  return ExitCode::guard_block;
}

}  // namespace cmdai::cli
