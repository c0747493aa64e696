#pragma once
// The subcommand table and the CLI entry point.

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/invocation.h"
#include "core/env.h"

namespace cmdai::cli {

// What may follow a subcommand's name for the word to start that subcommand.
// When what follows does not fit, the whole line is a request:
// `cmdai run the tests` asks for a command, it does not run `the`.
enum class Operand {
  words,    // anything: the subcommand reads its own words
  command,  // one command: after "--" or as one (quoted) argument
  topic,    // at most one word, a subcommand's name (help)
};

struct SubcommandSpec {
  std::string_view name;
  std::string_view usage;  // "history list|show ID|..."; empty for internal rows
  std::string_view summary;
  ExitCode (*handler)(Invocation&);
  Operand operand = Operand::words;
  std::string_view examples = "";      // one per line, shown by `cmdai help SUB` and the man page
  std::string_view global_flags = "";  // global options it reads, listed in its help: "yes dry-run shell"
  Complete values = Complete::none;    // its operand after the action word (config set KEY), if any
};

// The action words a subcommand's usage lists first ("list", "show" ... of
// "history list|show|..."): lower-case alternatives, placeholders left out.
std::vector<std::string> action_words(const SubcommandSpec& sub);

// The parts of a table text between separators: example lines ('\n'),
// global flag names (' ').
std::vector<std::string_view> table_words(std::string_view text, char separator);

std::span<const SubcommandSpec> subcommand_table();
const SubcommandSpec* find_subcommand(std::string_view name);  // listed or internal; nullptr if none
std::vector<std::string> subcommand_names();                   // the listed ones

// The subcommand argv (without argv[0]) starts, or nullptr when it is a
// request: the first word that is not an option names a subcommand and the
// words after it fit its Operand.
const SubcommandSpec* subcommand_of(std::span<const std::string> args);

// How run, check and explain tell a command from a request, as --help says it.
std::string_view grammar_text();

// help.cpp: `cmdai --help`, `cmdai help [SUB]` and `cmdai SUB --help`.
void write_help(std::ostream& out);
void write_subcommand_help(std::ostream& out, const SubcommandSpec& sub);
ExitCode run_help(Invocation& invocation);

// Every exit status and what it means, as --help and the man page list them.
std::string_view exit_status_text();

// cmd_docs.cpp: completion scripts and the man page, from the tables above.
ExitCode run_completions(Invocation& invocation);     // cmdai completions bash|zsh|fish
ExitCode run_man_page(Invocation& invocation);        // hidden: roff for cmdai.1
ExitCode run_complete_words(Invocation& invocation);  // hidden: what the completion scripts offer

// Runs cmdai with argv (argv[0] is the program). Never throws.
int run(int argc, const char* const* argv, Env& env);

}  // namespace cmdai::cli
