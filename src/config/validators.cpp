#include "config/validators.h"
#include <cctype>
#include "core/utf8.h"

#include <algorithm>
#include <set>

#include <re2/re2.h>

namespace cmdai::config {
namespace {

bool is_backend_name(std::string_view name, const ConfigurationState& context) {
  return parse_backend_type(name).has_value() || context.backend_configs.count(std::string(name)) > 0;
}

std::string known_backends(const ConfigurationState& context) {
  std::string out = "llama, ollama, openai, vllm, mlx, rules";
  for (const auto& [name, config] : context.backend_configs) {
    if (!parse_backend_type(name)) out += ", " + name;
  }
  return out;
}

}  // namespace

std::optional<std::string> check_endpoint(std::string_view url) {
  if (url.empty()) return std::nullopt;
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return "must be an http:// or https:// URL, e.g. http://localhost:11434";
  }
  const std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty() || host.front() == ':') return "endpoint '" + std::string(url) + "' has no host name";
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) return "endpoint must not contain spaces";
  if (const auto colon = host.rfind(':'); colon != std::string_view::npos && host.back() != ']') {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return "endpoint port '" + std::string(port) + "' is not a number";
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_timeout_ms(std::int64_t value) {
  if (value <= 0) return "timeout must be greater than 0 milliseconds";
  if (value > 3'600'000) return "timeout must be at most 3600000 milliseconds (one hour)";
  return std::nullopt;
}

std::optional<std::string> check_retries(std::int64_t value) {
  if (value < 0 || value > 10) return "retries must be between 0 and 10";
  return std::nullopt;
}

std::optional<std::string> check_positive(std::int64_t value) {
  if (value <= 0) return "must be greater than 0";
  if (value > 4'000'000'000) return "must be at most 4000000000";
  return std::nullopt;
}

std::optional<std::string> check_limit_or_zero(std::int64_t value) {
  if (value < 0) return "must be 0 (no limit) or a positive number";
  if (value > 4'000'000'000) return "must be at most 4000000000";
  return std::nullopt;
}

std::optional<std::string> check_cleanup_days(std::int64_t value) {
  if (value < 0 || value > 36'500) return "must be between 0 (never) and 36500 days";
  return std::nullopt;
}

std::optional<std::string> check_picker_lines(std::int64_t value) {
  if (value == 0 || (value >= 3 && value <= 200)) return std::nullopt;
  return "must be 0 (full screen) or between 3 and 200 lines";
}

std::optional<std::string> check_embed_agent_idle(std::int64_t value) {
  if (value >= 0 && value <= 86'400) return std::nullopt;
  return "must be 0 (no agent) to 86400 seconds";
}

std::optional<std::string> check_patterns(const std::vector<std::string>& patterns) {
  RE2::Options options;
  options.set_log_errors(false);
  for (const auto& pattern : patterns) {
    if (pattern.empty()) return "a custom safety pattern is empty";
    const RE2 compiled(pattern, options);
    if (!compiled.ok()) return "pattern '" + pattern + "' does not compile: " + compiled.error();
  }
  return std::nullopt;
}

std::optional<std::string> check_fallback_chain(const std::vector<std::string>& names,
                                                const ConfigurationState& context) {
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (!is_backend_name(name, context)) {
      return "fallback chain names unknown backend '" + name + "' (known: " + known_backends(context) + ")";
    }
    if (!seen.insert(name).second) return "fallback chain names '" + name + "' twice";
  }
  return std::nullopt;
}

std::optional<std::string> check_preferred(std::string_view name, const ConfigurationState& context) {
  if (name == "auto" || is_backend_name(name, context)) return std::nullopt;
  return "unknown backend '" + std::string(name) + "' (known: auto, " + known_backends(context) + ")";
}

std::optional<std::string> check_confirmations(const std::vector<std::string>& levels) {
  bool critical = false;
  for (const auto& level : levels) {
    if (!parse_risk_level(level)) return "'" + level + "' is not a risk level (safe, moderate, high, critical)";
    critical = critical || level == "critical";
  }
  if (!critical) return "critical commands always need confirmation: keep 'critical' in the list";
  return std::nullopt;
}

std::optional<std::string> check_instance_name(std::string_view name) {
  if (name.empty()) return "an instance needs a name";
  if (name.size() > 64) return "names are at most 64 characters";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return "use letters, digits, '-' and '_' in instance names";
  }
  return std::nullopt;
}

std::optional<std::string> check_env_name(std::string_view name) {
  if (name.empty()) return std::nullopt;
  const auto valid = [](char c, bool first) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!valid(name[i], i == 0)) return "'" + std::string(name) + "' is not an environment variable name";
  }
  return std::nullopt;
}

std::optional<std::string> check_key_binding(std::string_view text) {
  const std::string lower = ascii_lower(text);
  const bool modifier = lower.starts_with("ctrl-") || lower.starts_with("alt-");
  const std::string letter = modifier ? lower.substr(lower.find('-') + 1) : std::string();
  if (!modifier || letter.size() != 1 || letter[0] < 'a' || letter[0] > 'z') {
    return "use ctrl-<letter> or alt-<letter>, e.g. ctrl-g";
  }
  return std::nullopt;
}

std::optional<std::string> check_single_line(std::string_view text) {
  if (text.find_first_of("\r\n") != std::string_view::npos) return "must be a single line";
  if (text.size() > 4096) return "is longer than 4096 characters";
  return std::nullopt;
}

std::optional<std::string> check_choice(std::string_view value, const std::vector<std::string_view>& choices) {
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) return std::nullopt;
  std::string list;
  for (auto choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice);
  return "'" + std::string(value) + "' is not one of: " + list;
}

namespace {

constexpr std::string_view k_password_refused =
    "a password does not belong in the URL: put it in PGPASSFILE (~/.pgpass) or PGPASSWORD";

bool has_password_parameter(std::string_view text) {
  for (std::size_t at = text.find("password"); at != std::string_view::npos; at = text.find("password", at + 1)) {
    const bool starts = at == 0 || text[at - 1] == '?' || text[at - 1] == '&' || text[at - 1] == ' ';
    std::size_t after = at + 8;
    while (after < text.size() && text[after] == ' ') ++after;
    if (starts && after < text.size() && text[after] == '=') return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> check_team_url(std::string_view url) {
  if (url.empty()) return std::nullopt;
  if (auto line = check_single_line(url)) return line;
  if (has_password_parameter(url)) return std::string(k_password_refused);
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (!url.starts_with(scheme)) continue;
    const std::string_view rest = url.substr(scheme.size());
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos)
      return std::string(k_password_refused);
    return std::nullopt;
  }
  if (url.find('=') == std::string_view::npos)
    return "not a PostgreSQL URL; e.g. postgresql://alice@db.example.com/cmdai";
  return std::nullopt;
}

std::optional<std::string> check_directories(const std::vector<std::string>& directories) {
  for (const auto& directory : directories) {
    if (directory.empty() || directory.front() != '/')
      return "'" + directory + "' is not an absolute directory (start it with /)";
  }
  return std::nullopt;
}

}  // namespace cmdai::config
