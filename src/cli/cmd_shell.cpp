// The two hidden subcommands the shell integration calls:
//   cmdai shell-suggest -- SHELL REQUEST      -> "ID\nCOMMAND" on stdout
//     and, on stderr, what the shell shows beside the line: a spinner while
//     it works (when stderr is a terminal), then the explanation and the
//     risk, one "cmdai: ..." line each; exit 4 when the command is only
//     shown, 130 on Ctrl-C (the shell keeps the request on the line)
//   cmdai shell-record -- SHELL EXIT MS ID CWD COMMAND
// (ID is "-" when there is none.) Their argument lists are positional so the
// scripts never depend on option spelling.

#include <chrono>
#include <ostream>

#include "cli/cmd_team.h"
#include "cli/confirm.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/signals.h"
#include "config/configuration.h"
#include "core/terminal_text.h"
#include "core/uuid.h"
#include "history/history_store.h"
#include "pipeline/command_pipeline.h"
#include "pipeline/settings.h"
#include "safety/validator.h"

namespace cmdai::cli {
namespace {

// A command that needs more than a bare Enter (the typed phrase, or one the
// safety level blocks) is not put on the line at all: no prefix is inert in
// every shell under its default options ('#' starts a comment in bash and
// fish, but zsh without INTERACTIVE_COMMENTS runs "# x; y" as the command
// '#' followed by y). It is shown above the prompt; the request stays.
bool only_shown(Gate gate, const config::ConfigurationState& config) {
  return gate == Gate::phrase || gate == Gate::blocked || config.execution_refused.has_value();
}

// What the shell shows beside the line: the model's explanation first, then
// cmdai's own risk line, each field one line of text, so nothing the model
// wrote can hide or imitate the risk.
void print_notes(std::ostream& err, const pipeline::PipelineResult& result) {
  const auto& v = result.validation;
  if (!result.generation.explanation.empty()) err << "cmdai: " << terminal_text(result.generation.explanation) << "\n";
  err << "cmdai: Risk: " << to_string(v.risk_level) << " - " << terminal_text(v.explanation) << "\n";
  for (const auto& reason : v.unverified) err << "cmdai: Unverified: " << terminal_text(reason) << "\n";
}

// Generates with a spinner on stderr when it is a terminal (bash and fish
// give it the line below the request; zsh shows its own message instead).
Result<pipeline::PipelineResult> generate_with_progress(Invocation& inv, pipeline::CommandPipeline& pipeline,
                                                        const std::string& request,
                                                        const pipeline::PipelineOptions& options) {
  ProgressDisplay progress(inv.err, inv.env.is_terminal(2), inv.color);
  std::stop_source stop;
  Result<pipeline::PipelineResult> result = fail(ErrorCode::internal, "not run");
  {
    // Ctrl-C is taken as a stop request from before the spinner invites it.
    InterruptScope interrupts(stop);
    progress.on_event(generation::ProgressEvent{0, "cmdai is working - Ctrl-C gives the request back"});
    result = pipeline.run(
        request, options, [&](const generation::StreamEvent& event) { progress.on_event(event); }, stop.get_token());
  }
  progress.finish();
  return result;
}

struct ShellRecord {
  ShellType shell = ShellType::bash;
  int exit_code = 0;
  Micros duration{0};
  std::optional<std::string> id;
  std::string cwd;
  std::string command;
};

Result<ShellRecord> parse_record(std::span<const std::string> words) {
  if (words.size() != 6) return fail(ErrorCode::invalid_argument, "shell-record needs SHELL EXIT MS ID CWD COMMAND");
  ShellRecord record;
  auto shell = parse_shell_type(words[0]);
  if (!shell) return fail(shell.error());
  record.shell = *shell;
  const auto exit_code = whole_number<long long>(words[1]);
  const auto ms = whole_number<long long>(words[2]);
  if (!exit_code || !ms || *ms < 0) return fail(ErrorCode::invalid_argument, "shell-record: bad exit code or duration");
  record.exit_code = static_cast<int>(*exit_code);
  record.duration = std::chrono::milliseconds(*ms);
  if (words[3] != "-" && !words[3].empty()) record.id = words[3];
  record.cwd = words[4];
  record.command = words[5];
  return record;
}

// The user pressed Enter on a command cmdai put on the line: that entry
// gets the outcome, and the approval is the user's.
Result<bool> record_on_suggestion(history::HistoryStore& store, const ShellRecord& record) {
  if (!record.id) return false;
  auto existing = store.get(*record.id);
  if (!existing) return fail(existing.error());
  if (!*existing || (*existing)->command != record.command) return false;
  ExecutionMetadata metadata = (*existing)->execution_metadata.value_or(ExecutionMetadata{});
  metadata.exit_code = record.exit_code;
  metadata.execution_time = record.duration;
  metadata.output_size = std::nullopt;  // the shell's output never passes through cmdai
  CMDAI_TRY(store.record_execution(*record.id, metadata, true));
  return true;
}

}  // namespace

ExitCode run_shell_suggest(Invocation& inv) {
  if (inv.words.size() < 2)
    return report_error(inv, Error{ErrorCode::invalid_argument, "shell-suggest needs SHELL REQUEST", {}});
  auto shell = parse_shell_type(inv.words[0]);
  if (!shell) return report_error(inv, shell.error());
  std::string request;
  for (const auto& word : inv.words.subspan(1)) request += (request.empty() ? "" : " ") + word;
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  pipeline::PipelineOptions options;
  options.backend = inv.args.value("backend");
  options.shell = *shell;
  options.working_directory = inv.env.current_dir();
  pipeline::CommandPipeline pipeline(inv.env, inv.paths, loaded.state);
  auto result = generate_with_progress(inv, pipeline, request, options);
  if (!result && result.error().code == ErrorCode::cancelled) {
    inv.err << "cmdai: cancelled; the request is back on the line\n";
    return ExitCode::interrupted;
  }
  if (!result) return report_error(inv, result.error());
  const auto& v = result->validation;
  const Gate gate = required_gate(v.risk_level, loaded.state.safety_level, loaded.state.confirmation_required);
  print_notes(inv.err, *result);
  if (only_shown(gate, loaded.state)) {
    inv.err << "cmdai: " << terminal_text(result->generation.command) << "\n"
            << "cmdai: not put on the command line: "
            << (loaded.state.execution_refused
                    ? "the configuration file cannot be used"
                    : "a " + std::string(to_string(v.risk_level)) + " command runs only when you type it yourself")
            << "\n";
    return ExitCode::blocked;
  }
  inv.out << result->history_id.value_or("-") << "\n" << result->generation.command << "\n";
  return ExitCode::ok;
}

ExitCode run_shell_record(Invocation& inv) {
  auto record = parse_record(inv.words);
  if (!record) return report_error(inv, record.error());
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  if (!loaded.state.capture_shell || !loaded.state.history_enabled) return ExitCode::ok;
  const auto first = record->command.find_first_not_of(" \t\n");
  if (first == std::string::npos || record->command[first] == '#') return ExitCode::ok;
  auto store = history::HistoryStore::open(inv.paths.history_db, pipeline::history_options(loaded.state, inv.env));
  if (!store) return report_error(inv, store.error());
  auto on_suggestion = record_on_suggestion(*store, *record);
  if (!on_suggestion) return report_error(inv, on_suggestion.error());
  if (*on_suggestion) return ExitCode::ok;
  auto validator = pipeline::make_validator(loaded.state);
  if (!validator) validator = safety::Validator::create({});
  const auto context = pipeline::validation_context(loaded.state, inv.env, record->cwd, record->shell);
  const auto start = std::chrono::steady_clock::now();
  const auto validation = validator->validate(record->command, context);
  const auto validation_time = std::chrono::ceil<Micros>(std::chrono::steady_clock::now() - start);
  CommandHistoryEntry entry;
  entry.id = make_uuid_v4();
  entry.timestamp = inv.env.now();
  entry.command = record->command;
  entry.shell_type = record->shell;
  entry.working_directory = record->cwd;
  entry.execution_metadata =
      ExecutionMetadata{record->exit_code, record->duration, std::nullopt, "shell", Micros{0}, validation_time};
  // cmdai asked nothing: the user typed and ran it themselves.
  entry.safety_metadata =
      SafetyMetadata{validation.risk_level, validation.patterns_matched, false, validation.safety_score};
  entry.tags = {"shell"};
  auto stored = store->insert(entry);
  if (!stored) return report_error(inv, stored.error());
  push_in_background(loaded.state);
  return ExitCode::ok;
}

}  // namespace cmdai::cli
