#pragma once
// What to tell the user when no template answers a request whose verb is
// clear but whose object is not named ("delete the file", "kill the
// process"): a short question for the missing value, instead of a guess.
//
// Thread safety: a pure function.

#include <optional>
#include <string>
#include <string_view>

namespace cmdai::rules {

// A hint such as "name the file, e.g. \"delete notes.txt\"", or nullopt
// when the request names its object or its verb is not one of those that
// need one.
std::optional<std::string> decline_hint(std::string_view request);

}  // namespace cmdai::rules
