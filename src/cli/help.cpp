// `cmdai --help`, `cmdai help [SUB]` and `cmdai SUB --help`, all written from
// the subcommand and flag tables.

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/invocation.h"

namespace cmdai::cli {
namespace {

void write_column(std::ostream& out, const std::string& left, std::string_view right, std::size_t width) {
  out << left << std::string(left.size() < width ? width - left.size() : 1, ' ') << right << "\n";
}

void write_flag(std::ostream& out, const FlagSpec& flag, bool with_scope) {
  std::string left = flag.short_name ? "  " : "      ";
  left += flag_usage(flag);
  if (with_scope && !flag.scope.empty()) left += " (" + std::string(flag.scope) + ")";
  write_column(out, left, flag.help, 36);
}

bool names_word(std::string_view list, std::string_view word) {
  const auto words = table_words(list, ' ');
  return std::ranges::find(words, word) != words.end();
}

void write_examples(std::ostream& out, std::string_view examples) {
  if (examples.empty()) return;
  out << "\nExamples:\n";
  for (const auto line : table_words(examples, '\n')) out << "  " << line << "\n";
}

}  // namespace

void write_help(std::ostream& out) {
  out << "cmdai " << CMDAI_VERSION << " - turn a request into a shell command, rate its risk, remember it\n\n"
      << "Usage:\n  cmdai [OPTIONS] \"REQUEST\"        generate a command for the request\n";
  for (const auto& sub : subcommand_table()) {
    if (!sub.usage.empty()) write_column(out, "  cmdai " + std::string(sub.usage), sub.summary, 34);
  }
  out << "\n" << grammar_text() << "`cmdai help SUBCOMMAND` or `cmdai SUBCOMMAND --help` shows its options.\n";
  out << "\nOptions:\n";
  for (const auto& flag : flag_table()) write_flag(out, flag, true);
  out << "\nExit status:\n"
      << exit_status_text()
      << "\nFiles: config, history, models and log follow XDG; CMDAI_HOME puts them all in one directory.\n";
}

void write_subcommand_help(std::ostream& out, const SubcommandSpec& sub) {
  out << "Usage: cmdai " << sub.usage << "\n\n" << sub.summary << "\n";
  if (sub.operand == Operand::command) out << "\n" << grammar_text();
  std::vector<const FlagSpec*> own;
  for (const auto& flag : flag_table()) {
    if (flag.scope == sub.name || (flag.scope.empty() && names_word(sub.global_flags, flag.name))) own.push_back(&flag);
  }
  if (!own.empty()) out << "\nOptions:\n";
  for (const FlagSpec* flag : own) write_flag(out, *flag, false);
  write_examples(out, sub.examples);
  out << "\nGlobal options and exit statuses: cmdai --help\n";
}

ExitCode run_help(Invocation& invocation) {
  if (invocation.words.empty()) {
    write_help(invocation.out);
    return ExitCode::ok;
  }
  const SubcommandSpec* sub = find_subcommand(invocation.words[0]);
  if (sub == nullptr || sub->usage.empty()) {
    const auto near = closest(invocation.words[0], subcommand_names());
    return report_error(invocation, Error{ErrorCode::invalid_argument, "no subcommand '" + invocation.words[0] + "'",
                                          near ? "did you mean 'cmdai help " + *near + "'?" : "see cmdai --help"});
  }
  write_subcommand_help(invocation.out, *sub);
  return ExitCode::ok;
}

}  // namespace cmdai::cli
