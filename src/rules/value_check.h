#pragma once
// The one check that a command keeps the values a request names. A value
// is kept when the command carries it whole, in any shell quoting (bare,
// '...', "...", backslash-escaped; "~/x" also as "$HOME/x"). The rule
// engine runs it on every filled template (a template that drops or cuts a
// value is not an answer), and the pipeline runs it on a model's command
// (a dropped value makes the command unverified).
//
// Checked kinds: values whose text a correct command repeats as typed -
// file names, paths, quoted strings, URLs, hosts, remotes, dates, time
// zones, assignments (a second or third of any of these too), PIDs, ports and other integers (as a whole run of
// digits), and free names (names.h: users, groups, processes, packages, branches, remotes, containers, images,
// services). Sizes, durations and counts, which a template converts ("10MB" -> "-size +10M", "2 weeks" -> "14"), are
// checked by the matcher instead: a template must use them.
//
// Thread safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "rules/slots.h"

namespace cmdai::rules {

// The values of `slots` that `command` does not carry, in request order.
std::vector<std::string> missing_values(const Slots& slots, std::string_view command);

// The same for a request as typed.
std::vector<std::string> missing_values(std::string_view request, std::string_view command);

}  // namespace cmdai::rules
