#pragma once
// Free names: the words of a request that name something no template word
// means - a user, a process, a package, a branch, a container, a service
// ("kill every process owned by anna", "logs of the compose service api").
// A command that answers such a request must carry each of them; a word a
// template only uses as a value must be one of them (never "latest",
// "install" or "boot" taken from the request's own phrasing).
//
// Thread safety: pure functions over tables built once on first use.

#include <string>
#include <string_view>
#include <vector>

#include "rules/slots.h"

namespace cmdai::rules {

// True when a word can be a value a template takes by position ("after:kill"):
// not a stop word, not a word the template library gives meaning to (or a
// typo of one), not plain English that never names a thing ("own", "every"),
// not the name of a character ("commas", "tabs": a pattern, not a text), and
// not a word that starts like an option. A program the library knows by
// name ("docker", "nginx", "htop"), or whose commands it runs ("ncdu",
// "xxd", "shellcheck"), is a value too.
bool is_value_word(const Word& word);

// The free names of a request, in order, as typed: words that are not
// consumed by another slot, not places, and pass is_value_word.
std::vector<std::string> free_names(const Slots& slots);

}  // namespace cmdai::rules
