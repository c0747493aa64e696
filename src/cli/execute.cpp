#include "cli/execute.h"

#include <cstring>
#include <optional>
#include <ostream>

#include "cli/clipboard.h"
#include "cli/output.h"
#include "core/log.h"
#include "core/terminal_text.h"
#include "core/uuid.h"
#include "exec/runner.h"
#include "history/history_store.h"
#include "pipeline/settings.h"
#include "safety/validator.h"

namespace cmdai::cli {
namespace {

ExitCode report_blocked(Invocation& inv, const Decision& decision, RiskLevel risk) {
  if (decision.unverified && decision.verdict == Verdict::blocked_no_terminal) {
    inv.err << "cmdai: not run: cmdai cannot see everything this command runs, so it runs only after a y/N answer "
               "on a terminal, and there is none here (-y does not answer it)\n";
  } else if (decision.verdict == Verdict::blocked_by_policy) {
    inv.err << "cmdai: blocked: a " << to_string(risk)
            << " command may not run at this safety level (nothing was run; see `cmdai config show`)\n";
  } else if (decision.gate == Gate::phrase) {
    inv.err << "cmdai: not run: a " << to_string(risk) << " command runs only after '" << k_confirm_phrase
            << "' is typed on a terminal, and there is none here (-y does not answer it)\n";
  } else {
    inv.err << "cmdai: not run: a " << to_string(risk)
            << " command needs a y/N answer and there is no terminal to ask on (run it in a terminal, or pass -y)\n";
  }
  return ExitCode::blocked;
}

// Stores what happened: on the generated entry, or on a new entry when the
// user edited the command into something else.
void record(Invocation& inv, const config::ConfigurationState& config, const ExecutionRequest& request,
            const Candidate& ran, const ExecutionMetadata& metadata, bool user_confirmed) {
  if (!request.history_id) return;
  std::optional<history::HistoryStore> opened;
  history::HistoryStore* store = request.history;
  if (store == nullptr) {
    auto fresh = history::HistoryStore::open(inv.paths.history_db, pipeline::history_options(config, inv.env));
    if (!fresh) {
      inv.err << "cmdai: the run was not saved to history: " << fresh.error().describe() << "\n";
      return;
    }
    store = &opened.emplace(std::move(*fresh));
  }
  Result<void> saved;
  if (request.history_id && ran.command == request.candidate.command) {
    saved = store->record_execution(*request.history_id, metadata, user_confirmed);
  } else {
    CommandHistoryEntry entry;
    entry.id = make_uuid_v4();
    entry.timestamp = inv.env.now();
    entry.command = ran.command;
    entry.user_input = request.user_input;
    entry.shell_type = request.shell;
    entry.working_directory = request.working_directory;
    entry.execution_metadata = metadata;
    entry.safety_metadata = SafetyMetadata{ran.validation.risk_level, ran.validation.patterns_matched, user_confirmed,
                                           ran.validation.safety_score};
    entry.tags = {"edited"};
    saved = store->insert(entry);
  }
  if (!saved) inv.err << "cmdai: the run was not saved to history: " << saved.error().describe() << "\n";
}

Result<exec::RunResult> run_in_shell(Invocation& inv, const ExecutionRequest& request, const std::string& command) {
  auto shell = exec::resolve_shell(inv.args.value("shell"), inv.env.get_var("SHELL"), inv.env.get_var("PATH"));
  if (!shell) return fail(shell.error());
  exec::RunOptions options;
  options.shell_path = *shell;
  if (request.working_directory != inv.env.current_dir()) options.working_directory = request.working_directory;
  inv.out.flush();
  inv.err.flush();
  log::info("exec shell=" + *shell);
  return exec::run_command(command, options);
}

}  // namespace

ExitCode confirm_and_run(Invocation& inv, const config::ConfigurationState& config, ExecutionRequest request,
                         RunMode mode, ExecutionReport& report) {
  const auto interactivity =
      inv.env.is_terminal(0) && inv.env.is_terminal(2) ? Interactivity::terminal : Interactivity::none;
  const auto assume_yes = inv.args.has("yes") ? AssumeYes::yes : AssumeYes::no;
  const RiskLevel risk = request.candidate.validation.risk_level;
  report.decision = decide(request.candidate.validation, config.safety_level, config.confirmation_required,
                           interactivity, assume_yes);
  report.command = request.candidate.command;
  if (config.execution_refused) {
    // The file that holds the safety settings did not load: what it asks
    // for is unknown, so nothing runs (config/configuration.h).
    inv.err << "cmdai: not run: the configuration file cannot be used (" << terminal_text(*config.execution_refused)
            << "); nothing runs until it is fixed\n";
    return ExitCode::blocked;
  }
  const Verdict verdict = report.decision.verdict;
  if (mode == RunMode::dry_run) {
    if (inv.format == OutputFormat::plain) {
      inv.out << "  Would run: " << terminal_text(request.candidate.command, LineBreaks::keep)
              << "\n  Dry run: " << describe(report.decision) << "; nothing was run\n";
    }
    const bool blocked = verdict == Verdict::blocked_by_policy || verdict == Verdict::blocked_no_terminal;
    return blocked ? ExitCode::blocked : ExitCode::ok;
  }
  if (verdict == Verdict::blocked_by_policy || verdict == Verdict::blocked_no_terminal) {
    return report_blocked(inv, report.decision, risk);
  }
  Candidate chosen = request.candidate;
  bool confirmed = verdict == Verdict::run_assumed_yes;
  if (verdict == Verdict::ask) {
    TerminalPrompter prompter;
    const auto context_for_validation =
        pipeline::validation_context(config, inv.env, request.working_directory, request.shell);
    auto validator = pipeline::make_validator(config);
    if (!validator) validator = safety::Validator::create({});
    ConfirmContext context{
        [&](const std::string& command) { return validator->validate(command, context_for_validation); },
        [&](RiskLevel level) { return required_gate(level, config.safety_level, config.confirmation_required); },
        inv.err, inv.env.is_terminal(2) && inv.color};
    auto answer = confirm_on_terminal(std::move(chosen), prompter, context);
    chosen = std::move(answer.candidate);
    report.command = chosen.command;
    if (answer.outcome == Outcome::copy) {
      // On the clipboard when it can be; printed either way, for a pipe.
      inv.out << chosen.command << "\n";
      inv.out.flush();
      if (auto copied = copy_to_clipboard(inv.env, chosen.command, 2))
        inv.err << "cmdai: copied to the clipboard through " << *copied << "\n";
      return ExitCode::ok;
    }
    if (answer.outcome == Outcome::blocked) return ExitCode::blocked;
    if (answer.outcome == Outcome::abort) {
      inv.err << "cmdai: not run\n";
      return ExitCode::failure;
    }
    confirmed = answer.user_confirmed;
  }
  auto result = run_in_shell(inv, request, chosen.command);
  if (!result) return report_error(inv, result.error());
  ExecutionMetadata metadata{result->exit_code,    result->wall_time,       result->output_size,
                             request.backend_used, request.generation_time, request.validation_time};
  record(inv, config, request, chosen, metadata, confirmed);
  report.ran = true;
  report.user_confirmed = confirmed;
  report.metadata = metadata;
  if (result->interrupted) {
    inv.err << "cmdai: interrupted; the command exited with status " << result->exit_code << "\n";
  } else if (result->signal) {
    inv.err << "cmdai: the command was killed by signal " << *result->signal << " (" << ::strsignal(*result->signal)
            << ")\n";
  }
  return static_cast<ExitCode>(result->exit_code);  // the command's own status
}

}  // namespace cmdai::cli
