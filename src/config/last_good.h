#pragma once
// The last configuration file that parsed, kept beside it as
// "<file>.last-good" (config.toml.last-good). When the file stops parsing (a
// typo in an edit, a half-written save, a duplicate key), loading uses this
// copy instead of the defaults, so a safety level the user chose (strict) is
// not silently lost.
//
// The copy is cmdai's own bookkeeping next to the user's file: it is written
// straight to the file system (a temporary file renamed over it, mode 0600)
// rather than through Env, whose loaders only read; a copy that cannot be
// written (a read-only directory) is simply not kept.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/env.h"

namespace cmdai::config {

std::filesystem::path last_good_path(const std::filesystem::path& config_file);

// Saves text as the last good copy unless the copy already holds it.
void keep_last_good(const Env& env, const std::filesystem::path& config_file, std::string_view text);

// The copy's text; nullopt when there is none or it cannot be read.
std::optional<std::string> read_last_good(const Env& env, const std::filesystem::path& config_file);

}  // namespace cmdai::config
