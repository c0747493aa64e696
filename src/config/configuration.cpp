#include "config/configuration.h"

#include <array>
#include <utility>

#include "config/key_table.h"
#include "config/last_good.h"
#include "config/toml_value.h"

namespace cmdai::config {
namespace {

// A configuration file is a few hundred bytes; anything this big is a mistake.
constexpr std::size_t k_max_file_bytes = 1 << 20;

template <typename Enum, std::size_t N>
using Names = std::array<std::pair<std::string_view, Enum>, N>;

constexpr Names<PrivacyLevel, 3> k_privacy{
    {{"off", PrivacyLevel::off}, {"redact", PrivacyLevel::redact}, {"skip", PrivacyLevel::skip}}};
constexpr Names<SafetyLevel, 3> k_safety{
    {{"strict", SafetyLevel::strict}, {"moderate", SafetyLevel::moderate}, {"permissive", SafetyLevel::permissive}}};
constexpr Names<VerbosityLevel, 4> k_verbosity{{{"quiet", VerbosityLevel::quiet},
                                                {"normal", VerbosityLevel::normal},
                                                {"verbose", VerbosityLevel::verbose},
                                                {"debug", VerbosityLevel::debug}}};

template <typename Enum, std::size_t N>
std::string_view name_of(Enum value, const Names<Enum, N>& names) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return names[0].first;
}

template <typename Enum, std::size_t N>
Result<Enum> parse_name(std::string_view text, const Names<Enum, N>& names, std::string_view what) {
  std::string list;
  for (const auto& [name, v] : names) {
    if (name == text) return v;
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  return fail(ErrorCode::invalid_argument, "unknown " + std::string(what) + " '" + std::string(text) + "'",
              "use one of: " + list);
}

std::string fallback_words(const ResolvedKey& key, const ConfigurationState& state) {
  const std::string text = to_text(get_value(state, key));
  return text.empty() ? "no value" : "'" + text + "'";
}

// A value from one layer, not yet checked.
struct Pending {
  ResolvedKey key;
  ConfigValue value;
  std::string where;
};

// Applies the values of one layer together (a fallback chain may name an
// instance defined later in the file), then checks each against the result
// and puts back the layer below for those that fail.
void apply_layer(std::vector<Pending> pending, Origin origin, LoadedConfiguration& out) {
  const ConfigurationState below = out.state;
  for (const auto& p : pending) set_value(out.state, p.key, p.value);
  for (const auto& p : pending) {
    if (auto problem = check_value(p.key, p.value, out.state)) {
      out.warnings.push_back(p.where + ": " + p.key.name + ": " + *problem + "; using " + fallback_words(p.key, below));
      set_value(out.state, p.key, get_value(below, p.key));
      continue;
    }
    out.origins[p.key.name] = ValueOrigin{origin, p.where};
  }
}

// The parsed file; nullopt with the reason ("config.toml:4:12: ...") when it
// does not parse.
std::optional<toml::table> parse_file(const std::string& text, const std::filesystem::path& path,
                                      std::string& problem) {
  try {
    // toml++ is built with exceptions here: a syntax error throws.
    return toml::parse(text, path.string());
  } catch (const toml::parse_error& error) {
    problem = describe_parse_error(error, path.string());
    return std::nullopt;
  }
}

std::vector<Pending> file_layer(const toml::table& root, const std::filesystem::path& path, LoadedConfiguration& out) {
  std::vector<TomlLeaf> leaves;
  collect_leaves(root, "", leaves);
  std::vector<Pending> pending;
  for (const auto& leaf : leaves) {
    const std::string where = path.string() + ":" + std::to_string(leaf.line);
    auto key = resolve_key(leaf.name);
    if (!key) {
      auto near = closest_key(leaf.name);
      out.warnings.push_back(where + ": unknown key '" + leaf.name + "'" +
                             (near ? " (did you mean '" + *near + "'?)" : "") + "; kept in the file, ignored");
      continue;
    }
    auto value = from_toml(key->spec->type, *leaf.node);
    if (!value) {
      out.warnings.push_back(where + ": " + key->name + " " + value.error().message + "; using " +
                             fallback_words(*key, out.state));
      continue;
    }
    pending.push_back({std::move(*key), std::move(*value), where});
  }
  return pending;
}

// The file's text, or nullopt and why it cannot be used.
std::optional<std::string> read_config_text(const Env& env, const std::filesystem::path& path, std::string& problem) {
  auto text = env.read_file(path);
  if (!text) {
    problem = text.error().describe();
    return std::nullopt;
  }
  if (text->size() > k_max_file_bytes) {
    problem = path.string() + ": too large for a configuration file (" + std::to_string(text->size()) +
              " bytes; the limit is 1 MiB)";
    return std::nullopt;
  }
  return std::move(*text);
}

// The file exists but cannot be used: the last copy that parsed stands in,
// or, without one, defaults with execution refused - never a weaker safety
// level than the user chose without saying so.
void stand_in_for_file(const Env& env, const std::filesystem::path& path, const std::string& problem,
                       LoadedConfiguration& out) {
  const std::filesystem::path kept_path = last_good_path(path);
  std::string ignored;
  const auto kept = read_last_good(env, path);
  const auto root = kept ? parse_file(*kept, kept_path, ignored) : std::nullopt;
  if (!root) {
    out.source = FileSource::unusable;
    out.state.execution_refused = problem;
    out.warnings.push_back(problem + "; no earlier configuration that loaded is kept, so nothing will be run until " +
                           path.string() + " is fixed (commands are still generated, on default settings)");
    return;
  }
  out.source = FileSource::last_good;
  out.warnings.push_back(problem + "; using the last configuration that loaded, kept in " + kept_path.string() +
                         ", until " + path.string() + " is fixed");
  apply_layer(file_layer(*root, kept_path, out), Origin::file, out);
}

// Environment variables for every fixed key, every configured instance and
// every instance named after a backend type (CMDAI_BACKEND_OLLAMA_ENDPOINT).
std::vector<Pending> env_layer(const Env& env, LoadedConfiguration& out) {
  std::vector<ResolvedKey> keys = concrete_keys(out.state);
  for (const auto& spec : key_table()) {
    if (!is_instance_key(spec)) continue;
    for (std::string_view type : {"llama", "ollama", "openai", "vllm", "mlx"}) {
      if (out.state.backend_configs.count(std::string(type)) == 0)
        keys.push_back(instance_key(spec, std::string(type)));
    }
  }
  std::vector<Pending> pending;
  for (auto& key : keys) {
    const std::string variable = env_var_for(key);
    auto text = env.get_var(variable);
    if (!text) continue;
    auto value = parse_text(key.spec->type, *text);
    if (!value) {
      out.warnings.push_back(variable + ": " + key.name + ": " + value.error().message + "; ignored");
      continue;
    }
    pending.push_back({std::move(key), std::move(*value), variable});
  }
  if (auto no_color = env.get_var("NO_COLOR"); no_color && !no_color->empty()) {
    pending.push_back({*resolve_key("ui.color"), ConfigValue{false}, "NO_COLOR"});
  }
  return pending;
}

std::vector<Pending> override_layer(const std::vector<Override>& overrides, LoadedConfiguration& out) {
  std::vector<Pending> pending;
  for (const auto& o : overrides) {
    auto key = resolve_key(o.key);
    if (!key) {
      out.warnings.push_back(o.source + ": unknown key '" + o.key + "'; ignored");
      continue;
    }
    auto value = parse_text(key->spec->type, o.value);
    if (!value) {
      out.warnings.push_back(o.source + ": " + key->name + ": " + value.error().message + "; ignored");
      continue;
    }
    pending.push_back({std::move(*key), std::move(*value), o.source});
  }
  return pending;
}

void warn_untyped_instances(LoadedConfiguration& out) {
  for (const auto& [name, config] : out.state.backend_configs) {
    if (config.type || parse_backend_type(name)) continue;
    out.warnings.push_back("backend.instances." + name + ": no type; set backend.instances." + name +
                           ".type (ollama, openai, vllm, mlx or llama)");
  }
}

}  // namespace

std::string_view to_string(PrivacyLevel level) { return name_of(level, k_privacy); }
std::string_view to_string(SafetyLevel level) { return name_of(level, k_safety); }
std::string_view to_string(VerbosityLevel level) { return name_of(level, k_verbosity); }

std::string_view to_string(Origin origin) {
  switch (origin) {
    case Origin::default_value: return "default";
    case Origin::file: return "file";
    case Origin::env: return "env";
    case Origin::command_line: return "command line";
  }
  return "default";
}

Result<PrivacyLevel> parse_privacy_level(std::string_view text) { return parse_name(text, k_privacy, "privacy mode"); }
Result<SafetyLevel> parse_safety_level(std::string_view text) { return parse_name(text, k_safety, "safety level"); }
Result<VerbosityLevel> parse_verbosity_level(std::string_view text) {
  return parse_name(text, k_verbosity, "verbosity");
}

LoadedConfiguration load_configuration(const Env& env, const std::filesystem::path& path) {
  return load_configuration(env, path, {});
}

LoadedConfiguration load_file_only(const Env& env, const std::filesystem::path& path) {
  LoadedConfiguration out;
  if (!env.file_exists(path)) return out;
  std::string problem;
  const auto text = read_config_text(env, path, problem);
  const auto root = text ? parse_file(*text, path, problem) : std::nullopt;
  if (!root) {
    stand_in_for_file(env, path, problem, out);
    return out;
  }
  keep_last_good(env, path, *text);
  out.source = FileSource::file;
  apply_layer(file_layer(*root, path, out), Origin::file, out);
  return out;
}

LoadedConfiguration load_configuration(const Env& env, const std::filesystem::path& path,
                                       const std::vector<Override>& overrides) {
  LoadedConfiguration out = load_file_only(env, path);
  apply_layer(env_layer(env, out), Origin::env, out);
  apply_layer(override_layer(overrides, out), Origin::command_line, out);
  warn_untyped_instances(out);
  return out;
}

}  // namespace cmdai::config
