#pragma once
// Completion for the shells, computed by cmdai itself from the subcommand
// and flag tables: the installed bash/zsh/fish scripts only pass the words
// typed so far to the hidden `cmdai complete-words SHELL WORD...` and offer
// what it prints, so no script carries a second list of names.

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "cli/args.h"

namespace cmdai::cli {

// The values of a dynamic kind (backend and instance names need the
// configuration); static kinds never reach it.
using ValueSource = std::function<std::vector<std::string>(Complete kind)>;

struct Completion {
  std::string word;
  std::string description;  // shown by fish and zsh; "" when none
};

// What may stand in place of the last of `words` (the words after "cmdai",
// the last one being the one under the cursor, possibly empty). Empty: the
// shell's own completion (file names) applies.
std::vector<Completion> complete(std::span<const std::string> words, const ValueSource& values);

// The values every Complete kind but the dynamic ones stands for.
std::vector<std::string> static_values(Complete kind);

}  // namespace cmdai::cli
