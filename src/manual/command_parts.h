#pragma once
// A command line taken apart for people, like explainshell without a
// website: each pipeline stage's program (and subcommand, for programs such
// as git, docker or apt whose first word picks one), each flag with its value
// and what the program's documentation says about it, the other arguments,
// and each redirection. Where the words come from is a lookup the caller
// gives (the man pages installed here, then a built-in table).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/env.h"
#include "manual/roff_options.h"
#include "shell/ast.h"

namespace cmdai::manual {

enum class Source { man_page, builtin, none };

struct Documented {
  PageOptions options;
  Source source = Source::none;
};

// The documentation of a program ("ls") or of a subcommand's own page
// ("git-commit"); nullopt when there is none.
using Lookup = std::function<std::optional<Documented>(const std::string& name)>;

struct FlagPart {
  std::string flag;         // as typed: "-la" is split into "-l" and "-a"
  std::string value;        // "" when it takes none
  std::string description;  // "" when no documentation names it
  Source source = Source::none;
};

struct StagePart {
  std::string program;
  std::string subcommand;  // "" when none
  std::string summary;     // from the NAME line; "" when unknown
  Source summary_source = Source::none;
  std::vector<FlagPart> flags;
  std::vector<std::string> arguments;
  std::vector<std::string> redirections;  // "> out.txt: writes standard output to out.txt (replacing it)"
};

// Every simple command of the script, in order (pipeline stages, list items
// and nested bodies alike).
std::vector<StagePart> command_parts(const shell::Script& script, const Lookup& lookup);

// The man pages installed here first, the built-in table otherwise.
Lookup installed_documentation(Env& env, const std::filesystem::path& cache_dir);

}  // namespace cmdai::manual
