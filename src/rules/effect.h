#pragma once
// Whether a command reads or changes state, and whether a request asks to
// read or to change something. The matcher never answers a read request
// ("show", "list", "what ...") with a command that changes state, nor a
// request to change something ("delete", "turn on", "change the author")
// with a command that only reads.
//
// Both are tables of data (effect.cpp): programs with the subcommands and
// options that make them write, and the words a request leads with.
//
// Thread safety: pure functions.

#include <string_view>

#include "rules/slots.h"

namespace cmdai::rules {

enum class Effect { unknown, read, write };

// What running the command does: write when any of its commands changes
// state (or writes a file through a redirection), read when every command
// is known to only read, unknown otherwise (ssh, npm run, find -exec ...).
Effect command_effect(std::string_view command);

// What the request asks for: read when it leads with a read word ("show",
// "list", "what", "how many") and names no change anywhere ("find and
// delete" is not read), write when it leads with a word that changes state
// ("delete", "kill", "turn on", "change"), unknown otherwise.
Effect request_intent(const Slots& slots);

// A template whose command's effect contradicts the request's intent.
bool contradicts(Effect intent, Effect command);

}  // namespace cmdai::rules
