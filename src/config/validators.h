#pragma once
// The checks behind the key table's validators, each returning an error
// message for people or nullopt. Kept separate so every rule has its own test.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/configuration.h"

namespace cmdai::config {

// "" (no server) or http(s)://host[:port][/path] without spaces.
std::optional<std::string> check_endpoint(std::string_view url);
std::optional<std::string> check_timeout_ms(std::int64_t value);        // > 0, at most one hour
std::optional<std::string> check_retries(std::int64_t value);           // 0..10
std::optional<std::string> check_positive(std::int64_t value);          // > 0 (max_age_days)
std::optional<std::string> check_limit_or_zero(std::int64_t value);     // 0 (no limit) or > 0 (max_entries)
std::optional<std::string> check_cleanup_days(std::int64_t value);      // 0 (never) .. 36500
std::optional<std::string> check_picker_lines(std::int64_t value);      // 0 (full screen) or 3..200
std::optional<std::string> check_embed_agent_idle(std::int64_t value);  // 0 (none) to 86400 seconds
// Every pattern compiles with RE2.
std::optional<std::string> check_patterns(const std::vector<std::string>& patterns);
// Each name is a backend type or a configured instance; no repeats.
std::optional<std::string> check_fallback_chain(const std::vector<std::string>& names,
                                                const ConfigurationState& context);
// "auto", a backend type or a configured instance.
std::optional<std::string> check_preferred(std::string_view name, const ConfigurationState& context);
// Risk level names; critical must stay (the seed: critical always confirms).
std::optional<std::string> check_confirmations(const std::vector<std::string>& levels);
// An instance name as it appears in a dotted key: 1-64 letters, digits,
// '-' and '_'.
std::optional<std::string> check_instance_name(std::string_view name);
// "" or an environment variable name: [A-Za-z_][A-Za-z0-9_]*.
std::optional<std::string> check_env_name(std::string_view name);
// One line of text (model names, paths).
std::optional<std::string> check_single_line(std::string_view text);
// "ctrl-g", "alt-x": a modifier and one letter, as the shell integration binds it.
std::optional<std::string> check_key_binding(std::string_view text);
// "" (no team server) or a libpq URL (postgresql://...) or keyword/value
// string without a password: passwords come from PGPASSFILE or PGPASSWORD
// and are never stored in the configuration.
std::optional<std::string> check_team_url(std::string_view url);
// Absolute directory prefixes ("/home/me/secret").
std::optional<std::string> check_directories(const std::vector<std::string>& directories);
std::optional<std::string> check_choice(std::string_view value, const std::vector<std::string_view>& choices);

}  // namespace cmdai::config
