#pragma once
// cmdai team forget ID: removes one of the caller's own entries from the
// team server. Only a row pushed by this user from this host goes; an id
// (or unique prefix) that names someone else's entry is refused.

#include <string>

#include "core/error.h"
#include "team/connection.h"

namespace cmdai::team {

struct Owner {
  std::string user;
  std::string host;
};

// Returns the full id removed. Errors: invalid_argument for a prefix that
// is not hexadecimal id text or names several of the caller's entries;
// blocked_by_policy when the entry is someone else's; not_found.
Result<std::string> forget(Connection& connection, const std::string& id_prefix, const Owner& owner);

}  // namespace cmdai::team
