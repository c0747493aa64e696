#pragma once
// Internal to the safety module: which command words the validator knows
// what they do. A program it does not know - not a shell builtin, not in
// its tables, not found on PATH, or a path to a script it cannot see into -
// is unverified, and rated high when its arguments look destructive.

#include <string_view>

#include "safety/validator.h"

namespace cmdai::safety {

// Shell builtins and keywords, and everyday programs that read, print or
// build without analysis (known_programs.cpp), as data.
bool is_listed_program(std::string_view program);

// Whether program (the command word's base name) is known: listed, one of
// the programs an analyzer rates, a shell, or found on PATH through
// context.on_path. written_as_path: the command word had a '/' ("./frob",
// "/opt/x/run"): a script cmdai cannot see into unless its name is known.
bool is_known_program(std::string_view program, bool written_as_path, const ValidationContext& context);

}  // namespace cmdai::safety
