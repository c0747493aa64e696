#pragma once
// Whether a chmod in a command changes the permission classes (owner,
// group, others) the request names, in the direction it asks: "remove
// write permission for the group" is `g-w`, not `go-w`; "give others read
// access" is `o+r`, not `a+r`; "remove the sticky bit" is never `+t`.
//
// A change meant for everything a directory holds must reach into it:
// `chmod -R`, not `chmod` on the directory (misses_contents).
//
// Only symbolic modes are checked (`u+x`, `go-w`, `-t`, `+x`): a mode
// without classes counts as every class ("+x" for "everyone"). Numeric
// modes and requests that name no class or direction pass.
//
// Thread safety: pure function.

#include <string_view>
#include <vector>

#include "rules/words.h"

namespace cmdai::rules {

// True when `command` runs chmod with a symbolic mode whose classes differ
// from the ones the request's words name, or that adds what the request
// takes away (or takes away what it adds). Words a slot took are ignored.
bool chmod_contradicts(const std::vector<Word>& words, std::string_view command);

// True when the request asks for what a directory holds ("everything in
// /srv", "all the files under www", "with its contents") and `command`
// runs chmod, chown or chgrp without -R: that changes the directory alone.
bool misses_contents(const std::vector<Word>& words, std::string_view command);

}  // namespace cmdai::rules
