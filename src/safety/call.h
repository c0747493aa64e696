#pragma once
// Internal to the safety module: one program invocation after unwrapping
// (what analyzers look at), the facts it contributes to pipeline and chain
// analysis, and the sink analyzers report to.

#include <bitset>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "safety/path_scope.h"
#include "safety/validator.h"
#include "shell/ast.h"

namespace cmdai::safety {

struct Arg {
  std::string text;   // de-quoted, expansions as written
  std::string value;  // with variables that may be empty removed (see Word::unset_value)
  bool dynamic = false;
  const shell::Word* word = nullptr;  // null for arguments cmdai synthesised (find -exec {}, code)
};

struct Call {
  std::string program;    // base name of argv[0]
  std::vector<Arg> args;  // after the program
  shell::Span span;
  const shell::Command* node = nullptr;  // the simple command it came from
  bool elevated = false;                 // via sudo/doas/su/pkexec
  bool remote = false;                   // via ssh
  bool operands_from_stdin = false;      // via xargs: more operands arrive at run time
  bool written_as_path = false;          // argv[0] had a '/' ("./frob"): not looked up on PATH
};

// Sets call's program from the command word that names it.
void set_program(Call& call, std::string_view word);

// Languages of scripts some programs read on stdin (embedded_code.h).
enum class ScriptLanguage { none, ed, partition_table };

// What one command contributes to the data flow of its pipeline or chain.
struct Facts {
  bool downloads_to_stdout = false;  // curl URL, wget -O- URL
  std::vector<std::string> downloaded_files;
  bool decodes = false;                                // base64 -d, xxd -r, openssl enc -d
  bool emits_secret = false;                           // cat ~/.ssh/id_rsa, env, printenv
  bool network_sink = false;                           // sends its stdin to the network
  bool network_peer = false;                           // nc, socat, telnet: a two-way connection
  bool runs_stdin = false;                             // a shell or interpreter reading code from stdin
  bool is_shell = false;                               // sh, bash ... (for reverse shells)
  bool persists_stdin = false;                         // crontab -: stdin becomes cron lines
  bool persists_rc = false;                            // tee -a ~/.bashrc: stdin becomes shell startup code
  std::optional<std::string> emitted_text;             // echo/printf/cat <<EOF: the literal text written
  std::optional<std::string> output;                   // exactly what it prints, when every argument is known
  bool reads_data = false;                             // prints the contents of files (cat FILE, head FILE ...)
  ScriptLanguage stdin_script = ScriptLanguage::none;  // ed, fdisk DEVICE: stdin is a script of theirs
  std::optional<Scope> listed;                         // ls DIR, find DIR, echo *: prints the paths in DIR (its scope)
  bool lists_containers = false;                       // docker ps -q, docker volume ls -q: prints every id
  bool deletes_listed = false;                         // xargs rm -r: deletes (recursively) what arrives on stdin
  bool removes_listed_containers = false;              // xargs docker rm: removes the containers named on stdin
  std::vector<std::string> executed_files;
  std::vector<std::string> made_executable;
};

// Normalised flags: "-rf", "-r -f", "--recursive --force" and "--" handled
// once, so analyzers ask questions instead of scanning text.
class ArgView {
 public:
  // short_with_value: letters whose option takes the next word (or the rest
  // of this one); long_with_value: long options taking a value.
  ArgView(const std::vector<Arg>& args, std::string_view short_with_value = {},
          std::initializer_list<std::string_view> long_with_value = {});

  bool has(char short_flag) const { return m_short[static_cast<unsigned char>(short_flag)]; }
  bool has(std::string_view long_flag) const;
  bool has(char short_flag, std::string_view long_flag) const { return has(short_flag) || has(long_flag); }
  std::optional<std::string> value(char short_flag) const;
  std::optional<std::string> value(std::string_view long_flag) const;
  const std::vector<const Arg*>& operands() const { return m_operands; }

 private:
  std::bitset<256> m_short;
  std::vector<std::string> m_long;                            // "--name" (value split off at '=')
  std::vector<std::pair<std::string, std::string>> m_values;  // "-o"/"--output" -> value
  std::vector<const Arg*> m_operands;
};

// Where code to re-parse came from: shell code, or a body for an interpreter.
enum class CodeLanguage { shell, python, perl, ruby, node, php, lua, sql, redis, mongo };

class Sink {
 public:
  virtual ~Sink() = default;
  // Reports rule_id (see rule_table.cpp) on call; signal says which context
  // made it fire; alternative is a whole command that validates lower.
  virtual void add(std::string_view rule_id, const Call& call, std::string signal = {},
                   std::string alternative = {}) = 0;
  // Records that context lowered call's rating (lowering_id, see
  // rule_table.cpp); detail names the context, e.g. the file it looked at;
  // instead_of, when not empty, is the rule the call would otherwise get
  // (else the lowering's own entry says).
  virtual void lower(std::string_view lowering_id, const Call& call, std::string detail = {},
                     std::string_view instead_of = {}) = 0;
  // Validates code as if call ran it (sh -c, eval, ssh host CODE, python -c ...).
  virtual void run_code(std::string_view code, CodeLanguage language, const Call& call) = 0;
  // Validates a command built from parts of call (find -exec, xargs).
  virtual void run_argv(std::vector<Arg> argv, const Call& call, bool operands_from_stdin) = 0;
  // The facts of the last command of a substitution inside arg (e.g. <(curl ...)).
  virtual Facts substitution_facts(const Arg& arg) = 0;
  virtual const ValidationContext& context() const = 0;
};

using Analyzer = void (*)(const Call&, Sink&, Facts&);

// The analyzer for a program's base name, or null.
Analyzer find_analyzer(std::string_view program);

// Analyzer groups, one per file (analyzers_*.cpp); each registers its
// programs through this table.
struct AnalyzerEntry {
  std::string_view program;
  Analyzer analyzer;
};
std::span<const AnalyzerEntry> file_analyzers();
std::span<const AnalyzerEntry> system_analyzers();
std::span<const AnalyzerEntry> tool_analyzers();
std::span<const AnalyzerEntry> service_analyzers();
std::span<const AnalyzerEntry> flow_analyzers();
std::span<const AnalyzerEntry> archive_analyzers();
std::span<const AnalyzerEntry> state_analyzers();

// Shell state (analyzers_state.cpp). Why defining name (an alias or a
// function) as body hijacks a common command; empty when it does not.
std::string shadows_command(std::string_view name, std::string_view body);
std::string shadows_command(std::string_view name, const shell::Script& body);
// The rule for setting variable name to value (as written) in the shell:
// LD_PRELOAD, PATH led by a world-writable directory, PROMPT_COMMAND,
// BASH_ENV, history turned off; empty for the rest.
std::string_view rule_for_assignment(std::string_view name, std::string_view value);

// Helpers shared by analyzers.
// The base name of a command word: what the shell looks up ("/usr/bin/rm" -> "rm").
std::string program_name(std::string_view word);
ResolvedPath resolve(const Arg& arg, const ValidationContext& context);
// An argument as a word of a suggested command (core shell quoting; a
// leading ~ keeps its expansion, as the user wrote it).
std::string quote_arg(std::string_view text);
std::string join_args(const Call& call, std::size_t from = 0);
bool is_shell_program(std::string_view program);
// A shell, interpreter or tool that can run one (python, perl, vim, find ...):
// setuid or capabilities on it give a root shell.
bool is_interpreter_path(std::string_view path);
bool asks_for_help(const Call& call);

// The rule for destroying path (rm, truncate, shred, > or a copy over it)
// when losing it cannot be undone: a credential or a history; else empty.
std::string_view rule_for_destroying(const ResolvedPath& path, const ValidationContext& context);

// The rule for writing to path (> or >>, tee, tee -a); empty for /dev/null
// and targets that are only known at run time.
std::string_view rule_for_write(const ResolvedPath& path, bool append, const ValidationContext& context);

}  // namespace cmdai::safety
