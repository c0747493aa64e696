#pragma once
// What cmdai itself knows about the options of everyday programs, for a
// machine without their man pages (a slim container image): a table as
// data, deliberately small; the installed pages say more.

#include <optional>
#include <string_view>

#include "manual/roff_options.h"

namespace cmdai::manual {

std::optional<PageOptions> builtin_options(std::string_view program);

}  // namespace cmdai::manual
