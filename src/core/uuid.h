#pragma once
// UUID v4: random ids for history entries and requests.

#include <string>
#include <string_view>

namespace cmdai {

// A new random UUID v4 in lower-case canonical form (8-4-4-4-12).
std::string make_uuid_v4();

// True if text is a canonical UUID with version 4 and the RFC 4122 variant.
bool is_uuid_v4(std::string_view text);

}  // namespace cmdai
