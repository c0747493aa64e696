#pragma once
// Internal to the safety module: programs that run shell code given in
// their own options or scripts - awk system() and print | "sh", sed's e
// command, tar --to-command, vim -c ':!...', less +'!...', gdb -ex 'shell
// ...', git -c core.pager=..., man -P, ssh -o ProxyCommand=, rsync -e,
// zip -TT, trap - and options that write files where a reader would not
// expect it (sort -o, find -fprint). Which option of which program holds code is a table
// (embedded_code.cpp); the code found is handed back to be validated like
// any command.

#include <string>
#include <string_view>
#include <vector>

#include "safety/call.h"

namespace cmdai::safety {

struct EmbeddedCode {
  enum class Kind {
    shell,          // shell code: validate it
    pipe_to_shell,  // text written into a shell (awk print | "sh"): what runs is not visible
    unseen,         // code cmdai cannot read (a script file, a command built at run time)
    writes_file,    // a file the program writes (sed w FILE, sort -o FILE, find -fprint FILE)
  };
  Kind kind = Kind::shell;
  std::string text;     // the code, the file, or what was not visible
  bool remote = false;  // runs on another machine (rsync --rsync-path)
};

// Everything call runs or writes through its options and script arguments,
// in order. Empty for programs without such options.
std::vector<EmbeddedCode> embedded_code(const Call& call);

// Programs whose standard input is a script in their own language
// (ScriptLanguage is in call.h).
ScriptLanguage stdin_language(std::string_view program);

// The shell commands in an ed script ("!cmd", "r !cmd", "w !cmd").
std::vector<EmbeddedCode> ed_commands(std::string_view script);

// Whether an fdisk-style script writes the table ("w" on a line of its own).
bool partition_script_writes(std::string_view script);

}  // namespace cmdai::safety
