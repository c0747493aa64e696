#include "config/key_table.h"

#include <algorithm>

#include "config/validators.h"

namespace cmdai::config {
namespace {

constexpr std::string_view k_instance_prefix = "backend.instances.";

const std::vector<std::string_view> k_backend_types{"llama", "ollama", "openai", "vllm", "mlx", "rules"};
const std::vector<std::string_view> k_preferred_choices{"auto", "llama", "ollama", "openai", "vllm", "mlx", "rules"};

// --- typed accessors for the table's lambdas ---------------------------------

bool as_bool(const ConfigValue& v) { return std::get<bool>(v); }
std::int64_t as_int(const ConfigValue& v) { return std::get<std::int64_t>(v); }
const std::string& as_text(const ConfigValue& v) { return std::get<std::string>(v); }
const std::vector<std::string>& as_list(const ConfigValue& v) { return std::get<std::vector<std::string>>(v); }

template <typename Enum>
std::vector<std::string> names_of(const std::vector<Enum>& values) {
  std::vector<std::string> out;
  for (auto value : values) out.emplace_back(to_string(value));
  return out;
}

std::optional<std::string> any_bool(const ConfigValue&, const ConfigurationState&) { return std::nullopt; }

BackendConfig& instance(ConfigurationState& s, const std::string& name) { return s.backend_configs[name]; }
BackendConfig instance_of(const ConfigurationState& s, const std::string& name) {
  auto it = s.backend_configs.find(name);
  return it == s.backend_configs.end() ? BackendConfig{} : it->second;
}

ModelDeclaration model_of(const ConfigurationState& s, const std::string& name) {
  auto it = s.instance_models.find(name);
  return it == s.instance_models.end() ? ModelDeclaration{} : it->second;
}
// Changes one instance's declaration; an all-default one is not kept, so
// states compare equal whether or not the keys were written out.
template <typename Change>
void change_model(ConfigurationState& s, const std::string& name, Change change) {
  instance(s, name);  // the instance exists once one of its keys is set
  change(s.instance_models[name]);
  if (s.instance_models[name] == ModelDeclaration{}) s.instance_models.erase(name);
}

std::optional<std::string> check_context_length(const ConfigValue& v, const ConfigurationState&) {
  if (as_int(v) < 0 || as_int(v) > (1 << 24)) return "must be 0 (unknown) to 16777216 tokens";
  return std::nullopt;
}

std::optional<std::string> check_capabilities(const ConfigValue& v, const ConfigurationState&) {
  for (const auto& name : as_list(v)) {
    if (name.empty() || name.size() > 32 ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-.") != std::string::npos)
      return "capability '" + name + "' must be one lower-case word (a-z, 0-9, _ - .), at most 32 characters";
  }
  return std::nullopt;
}

std::optional<std::string> check_family(const ConfigValue& v, const ConfigurationState& c) {
  if (as_text(v).empty()) return std::nullopt;
  return check_capabilities(ConfigValue{std::vector<std::string>{as_text(v)}}, c);
}

std::vector<KeySpec> backend_keys() {
  return {
      {"backend.preferred", KeyType::choice, "auto", "Backend Configuration", "preferred backend",
       "Backend or instance that answers first; auto picks the best available.", "CMDAI_BACKEND", k_preferred_choices,
       false, [](const ConfigValue& v, const ConfigurationState& c) { return check_preferred(as_text(v), c); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         if (s.preferred_instance) return *s.preferred_instance;
         return s.preferred_backend ? std::string(to_string(*s.preferred_backend)) : std::string("auto");
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.preferred_instance = as_text(v) == "auto" ? std::nullopt : std::optional<std::string>(as_text(v));
       }},
      {"backend.fallback_chain", KeyType::list, "llama, ollama, rules", "Backend Configuration", "fallback chain",
       "Backends tried in order when the preferred one cannot answer; rules is always tried last.",
       "CMDAI_FALLBACK_CHAIN", k_backend_types, false,
       [](const ConfigValue& v, const ConfigurationState& c) { return check_fallback_chain(as_list(v), c); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.fallback_instances; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.fallback_instances = as_list(v); }},
      {"backend.discover",
       KeyType::boolean,
       "true",
       "Backend Configuration",
       "find local servers",
       "Look for model servers running on this machine (Ollama, llama-server, LM Studio, vLLM) when no configured "
       "backend can answer.",
       "CMDAI_DISCOVER",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.discover_servers; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.discover_servers = as_bool(v); }},
      {"backend.instances.*.type", KeyType::choice, "", "Backend Configuration", "type",
       "Kind of backend; may be left out when the instance is named after its type.", "CMDAI_BACKEND_*_TYPE",
       k_backend_types, true,
       [](const ConfigValue& v, const ConfigurationState&) { return check_choice(as_text(v), k_backend_types); },
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue {
         auto type = instance_of(s, i).type;
         return type ? ConfigValue{std::string(to_string(*type))} : ConfigValue{};
       },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) {
         auto parsed = std::holds_alternative<std::string>(v) ? parse_backend_type(as_text(v))
                                                              : Result<BackendType>(fail(ErrorCode::not_found, ""));
         instance(s, i).type = parsed ? std::optional<BackendType>(*parsed) : std::nullopt;
       }},
      {"backend.instances.*.endpoint",
       KeyType::text,
       "",
       "Backend Configuration",
       "endpoint",
       "Server URL (http:// or https://) for ollama, openai, vllm and mlx instances.",
       "CMDAI_BACKEND_*_ENDPOINT",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_endpoint(as_text(v)); },
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue { return instance_of(s, i).endpoint; },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) { instance(s, i).endpoint = as_text(v); }},
      {"backend.instances.*.model",
       KeyType::text,
       "",
       "Backend Configuration",
       "model",
       "Model name on the server, or a GGUF file for llama.",
       "CMDAI_BACKEND_*_MODEL",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_single_line(as_text(v)); },
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue { return instance_of(s, i).model; },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) { instance(s, i).model = as_text(v); }},
      {"backend.instances.*.timeout_ms",
       KeyType::integer,
       "30000",
       "Backend Configuration",
       "timeout (ms)",
       "How long one request may take, in milliseconds (> 0).",
       "CMDAI_BACKEND_*_TIMEOUT_MS",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_timeout_ms(as_int(v)); },
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue {
         return std::int64_t{instance_of(s, i).timeout_ms};
       },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) {
         instance(s, i).timeout_ms = static_cast<int>(as_int(v));
       }},
      {"backend.instances.*.retries",
       KeyType::integer,
       "1",
       "Backend Configuration",
       "retries",
       "Extra attempts after a failed request (0 to 10).",
       "CMDAI_BACKEND_*_RETRIES",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_retries(as_int(v)); },
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue {
         return std::int64_t{instance_of(s, i).retries};
       },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) {
         instance(s, i).retries = static_cast<int>(as_int(v));
       }},
      {"backend.instances.*.api_key_env",
       KeyType::text,
       "",
       "Backend Configuration",
       "API key variable",
       "Name of the environment variable that holds the API key (the key itself is never stored).",
       "CMDAI_BACKEND_*_API_KEY_ENV",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_env_name(as_text(v)); },
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue { return instance_of(s, i).api_key_env; },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) {
         instance(s, i).api_key_env = as_text(v);
       }},
      {"backend.instances.*.local",
       KeyType::boolean,
       "",
       "Backend Configuration",
       "local",
       "true when no request leaves this machine (routing may require it); unset: true for loopback endpoints.",
       "CMDAI_BACKEND_*_LOCAL",
       {},
       true,
       any_bool,
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue {
         auto local = instance_of(s, i).local;
         return local ? ConfigValue{*local} : ConfigValue{};
       },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) {
         instance(s, i).local = std::holds_alternative<bool>(v) ? std::optional<bool>(as_bool(v)) : std::nullopt;
       }},
      {"backend.instances.*.context_length",
       KeyType::integer,
       "0",
       "Backend Configuration",
       "context (tokens)",
       "Its model's context length; 0: unknown; a server's own report wins.",
       "CMDAI_BACKEND_*_CONTEXT_LENGTH",
       {},
       false,
       check_context_length,
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue {
         return std::int64_t{model_of(s, i).context_length};
       },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) {
         change_model(s, i, [&](ModelDeclaration& m) { m.context_length = static_cast<int>(as_int(v)); });
       }},
      {"backend.instances.*.capabilities",
       KeyType::list,
       "",
       "Backend Configuration",
       "capabilities",
       "What its model can do, e.g. json_schema, tools; servers may add more.",
       "CMDAI_BACKEND_*_CAPABILITIES",
       {},
       false,
       check_capabilities,
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue { return model_of(s, i).capabilities; },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) {
         change_model(s, i, [&](ModelDeclaration& m) { m.capabilities = as_list(v); });
       }},
      {"backend.instances.*.model_family",
       KeyType::text,
       "",
       "Backend Configuration",
       "model family",
       "Its model family, e.g. qwen2; a server's own report wins.",
       "CMDAI_BACKEND_*_MODEL_FAMILY",
       {},
       false,
       check_family,
       [](const ConfigurationState& s, const std::string& i) -> ConfigValue { return model_of(s, i).model_family; },
       [](ConfigurationState& s, const std::string& i, const ConfigValue& v) {
         change_model(s, i, [&](ModelDeclaration& m) { m.model_family = as_text(v); });
       }},
      {"backend.require.min_context",
       KeyType::integer,
       "0",
       "Backend Configuration",
       "minimum context",
       "Skip instances whose model has a smaller context (tokens); 0: no minimum. Flag: --min-context.",
       "CMDAI_MIN_CONTEXT",
       {},
       false,
       check_context_length,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return std::int64_t{s.model_requirements.min_context_length};
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.model_requirements.min_context_length = static_cast<int>(as_int(v));
       }},
      {"backend.require.capabilities",
       KeyType::list,
       "",
       "Backend Configuration",
       "required capabilities",
       "Skip instances known to lack one of these capabilities. Flag: --require-capability (repeatable).",
       "CMDAI_REQUIRE_CAPABILITIES",
       {},
       false,
       check_capabilities,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.model_requirements.capabilities; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.model_requirements.capabilities = as_list(v);
       }},
      {"backend.require.model_family",
       KeyType::text,
       "",
       "Backend Configuration",
       "required family",
       "Skip instances known to run another model family. Flag: --model-family.",
       "CMDAI_MODEL_FAMILY",
       {},
       false,
       check_family,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.model_requirements.model_family; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.model_requirements.model_family = as_text(v);
       }},
  };
}

std::vector<KeySpec> history_keys() {
  return {
      {"history.enabled",
       KeyType::boolean,
       "true",
       "History Settings",
       "enabled",
       "Keep every generated command in the local history database.",
       "CMDAI_HISTORY_ENABLED",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.history_enabled; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.history_enabled = as_bool(v); }},
      {"history.max_entries",
       KeyType::integer,
       "0",
       "History Settings",
       "max entries",
       "Oldest entries beyond this many are removed at every write and import, which report it; 0 keeps every "
       "entry.",
       "CMDAI_HISTORY_MAX_ENTRIES",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_limit_or_zero(as_int(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return static_cast<std::int64_t>(s.retention_policy.max_entries.value_or(0));
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         const std::int64_t limit = as_int(v);
         s.retention_policy.max_entries =
             limit > 0 ? std::optional<std::size_t>(static_cast<std::size_t>(limit)) : std::nullopt;
       }},
      {"history.max_age_days",
       KeyType::integer,
       "",
       "History Settings",
       "max age (days)",
       "Entries older than this many days are removed (> 0); unset keeps them forever.",
       "CMDAI_HISTORY_MAX_AGE_DAYS",
       {},
       true,
       [](const ConfigValue& v, const ConfigurationState&) { return check_positive(as_int(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         if (!s.retention_policy.max_age_days) return {};
         return std::int64_t{*s.retention_policy.max_age_days};
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.retention_policy.max_age_days = std::holds_alternative<std::int64_t>(v)
                                               ? std::optional<unsigned>(static_cast<unsigned>(as_int(v)))
                                               : std::nullopt;
       }},
      {"history.preserve_favorites",
       KeyType::boolean,
       "true",
       "History Settings",
       "keep favourites",
       "Entries tagged favorite survive retention clean-up.",
       "CMDAI_HISTORY_PRESERVE_FAVORITES",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return s.retention_policy.preserve_favorites;
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.retention_policy.preserve_favorites = as_bool(v);
       }},
      {"history.preserve_frequently_used",
       KeyType::boolean,
       "true",
       "History Settings",
       "keep frequently used",
       "Commands used often survive retention clean-up.",
       "CMDAI_HISTORY_PRESERVE_FREQUENTLY_USED",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return s.retention_policy.preserve_frequently_used;
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.retention_policy.preserve_frequently_used = as_bool(v);
       }},
      {"history.privacy_mode",
       KeyType::choice,
       "redact",
       "History Settings",
       "privacy",
       "off stores requests as typed, redact masks secrets before storing, skip stores nothing sensitive.",
       "CMDAI_HISTORY_PRIVACY",
       {"off", "redact", "skip"},
       false,
       [](const ConfigValue& v, const ConfigurationState&) {
         return check_choice(as_text(v), {"off", "redact", "skip"});
       },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return std::string(to_string(s.privacy_mode));
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.privacy_mode = parse_privacy_level(as_text(v)).value_or(PrivacyLevel::redact);
       }},
      {"history.auto_cleanup_days",
       KeyType::integer,
       "0",
       "History Settings",
       "remove after (days)",
       "Entries older than this many days are removed at every write and import (favourites and frequently "
       "used entries kept, as configured); 0 never removes by age. history.max_age_days wins when both are set.",
       "CMDAI_HISTORY_AUTO_CLEANUP_DAYS",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_cleanup_days(as_int(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return std::int64_t{s.auto_cleanup_days}; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.auto_cleanup_days = static_cast<unsigned>(as_int(v));
       }},
      {"search.embed_agent_idle",
       KeyType::integer,
       "300",
       "History Settings",
       "embedding agent idle (s)",
       "Seconds a background embedding agent keeps the local embedding model loaded after the last search or the "
       "last prompt of a shell with cmdai's integration (one per user and model, started by that shell before a "
       "prompt when none is running, or by the first search); 0 never starts one (each search loads the model "
       "itself).",
       "CMDAI_EMBED_AGENT_IDLE",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_embed_agent_idle(as_int(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return std::int64_t{s.embed_agent_idle_seconds};
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.embed_agent_idle_seconds = static_cast<int>(as_int(v));
       }},
  };
}

std::vector<KeySpec> safety_and_ui_keys() {
  return {
      {"safety.level",
       KeyType::choice,
       "moderate",
       "Safety Configuration",
       "safety level",
       "strict blocks high-risk commands, moderate asks before them, permissive only warns.",
       "CMDAI_SAFETY_LEVEL",
       {"strict", "moderate", "permissive"},
       false,
       [](const ConfigValue& v, const ConfigurationState&) {
         return check_choice(as_text(v), {"strict", "moderate", "permissive"});
       },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return std::string(to_string(s.safety_level));
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.safety_level = parse_safety_level(as_text(v)).value_or(SafetyLevel::moderate);
       }},
      {"safety.confirmation_required",
       KeyType::list,
       "moderate, high, critical",
       "Safety Configuration",
       "confirm levels",
       "Risk levels that ask before running: each listed level asks (how: safety.level), a level not listed runs "
       "without asking. critical must be listed: a critical command always asks (strict blocks it); under "
       "permissive moderate commands never ask.",
       "CMDAI_SAFETY_CONFIRM",
       {"safe", "moderate", "high", "critical"},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_confirmations(as_list(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return names_of(s.confirmation_required); },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.confirmation_required.clear();
         for (const auto& name : as_list(v)) {
           if (auto level = parse_risk_level(name)) s.confirmation_required.push_back(*level);
         }
       }},
      {"safety.custom_patterns",
       KeyType::list,
       "",
       "Safety Configuration",
       "custom patterns",
       "Extra RE2 patterns; a command matching one is rated high.",
       "CMDAI_SAFETY_PATTERNS",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_patterns(as_list(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.custom_safety_patterns; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.custom_safety_patterns = as_list(v); }},
      {"ui.streaming",
       KeyType::boolean,
       "true",
       "UI Preferences",
       "streaming",
       "Show the command live as it forms on a terminal.",
       "CMDAI_STREAMING",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.streaming_enabled; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.streaming_enabled = as_bool(v); }},
      {"ui.color",
       KeyType::boolean,
       "true",
       "UI Preferences",
       "colour",
       "Colour on terminals; NO_COLOR in the environment turns it off.",
       "CMDAI_COLOR",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.color_output; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.color_output = as_bool(v); }},
      {"history.capture_shell",
       KeyType::boolean,
       "false",
       "History Settings",
       "capture shell",
       "Record the commands you run in bash, zsh or fish (with cmdai init) into the history.",
       "CMDAI_CAPTURE_SHELL",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.capture_shell; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.capture_shell = as_bool(v); }},
      {"shell.key_binding",
       KeyType::text,
       "ctrl-g",
       "UI Preferences",
       "shell key",
       "The key (ctrl-X or alt-X) that turns the shell's command line into a generated command.",
       "CMDAI_SHELL_KEY",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_key_binding(as_text(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.shell_key_binding; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.shell_key_binding = as_text(v); }},
      {"shell.ctrl_r",
       KeyType::boolean,
       "true",
       "UI Preferences",
       "Ctrl-R picker",
       "With cmdai init, Ctrl-R opens cmdai's history picker instead of the shell's own reverse search.",
       "CMDAI_SHELL_CTRL_R",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.shell_ctrl_r; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.shell_ctrl_r = as_bool(v); }},
      {"shell.enter_runs",
       KeyType::boolean,
       "true",
       "UI Preferences",
       "picker: Enter runs",
       "Enter in the history picker runs the selection; off: Enter puts it on the prompt, as Tab does.",
       "CMDAI_SHELL_ENTER_RUNS",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.shell_enter_runs; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.shell_enter_runs = as_bool(v); }},
      {"shell.picker_lines",
       KeyType::integer,
       "0",
       "UI Preferences",
       "picker: lines",
       "Lines the history picker takes from the prompt down; 0 uses the whole screen.",
       "CMDAI_PICKER_LINES",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_picker_lines(as_int(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return std::int64_t{s.picker_lines}; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.picker_lines = static_cast<int>(as_int(v));
       }},
      {"ui.verbosity",
       KeyType::choice,
       "normal",
       "UI Preferences",
       "verbosity",
       "How much cmdai explains: quiet, normal, verbose or debug.",
       "CMDAI_VERBOSITY",
       {"quiet", "normal", "verbose", "debug"},
       false,
       [](const ConfigValue& v, const ConfigurationState&) {
         return check_choice(as_text(v), {"quiet", "normal", "verbose", "debug"});
       },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return std::string(to_string(s.verbosity_level));
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.verbosity_level = parse_verbosity_level(as_text(v)).value_or(VerbosityLevel::normal);
       }},
  };
}

// --- guard mode ----------------------------------------------------------------

const std::vector<std::string_view> k_guard_actions{"pass", "allow", "ask", "deny"};

// One key per risk level; the level is a template argument because getters
// and setters are plain function pointers.
template <RiskLevel Level>
KeySpec guard_action_key(std::string_view name, std::string_view default_text, std::string_view label,
                         std::string_view help, std::string_view env_var) {
  constexpr auto index = static_cast<std::size_t>(Level);
  return {name,
          KeyType::choice,
          default_text,
          "Safety Configuration",
          label,
          help,
          env_var,
          k_guard_actions,
          false,
          [](const ConfigValue& v, const ConfigurationState&) { return check_choice(as_text(v), k_guard_actions); },
          [](const ConfigurationState& s, const std::string&) -> ConfigValue {
            return std::string(k_guard_actions[static_cast<std::size_t>(s.guard_actions[index])]);
          },
          [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
            const auto at = std::find(k_guard_actions.begin(), k_guard_actions.end(), as_text(v));
            if (at != k_guard_actions.end())
              s.guard_actions[index] = static_cast<GuardAction>(at - k_guard_actions.begin());
          }};
}

std::vector<KeySpec> guard_keys() {
  return {
      guard_action_key<RiskLevel::critical>(
          "guard.critical", "deny", "guard: critical",
          "What cmdai guard answers an agent for a critical command: deny, ask, allow or pass (no decision).",
          "CMDAI_GUARD_CRITICAL"),
      guard_action_key<RiskLevel::high>("guard.high", "ask", "guard: high",
                                        "What cmdai guard answers an agent for a high-risk command.",
                                        "CMDAI_GUARD_HIGH"),
      guard_action_key<RiskLevel::moderate>("guard.moderate", "pass", "guard: moderate",
                                            "What cmdai guard answers an agent for a moderate-risk command.",
                                            "CMDAI_GUARD_MODERATE"),
      guard_action_key<RiskLevel::safe>("guard.safe", "pass", "guard: safe",
                                        "What cmdai guard answers an agent for a safe command.", "CMDAI_GUARD_SAFE"),
      {"guard.deny",
       KeyType::list,
       "",
       "Safety Configuration",
       "guard: deny list",
       "RE2 patterns for commands cmdai guard always denies, whatever a project allows.",
       "CMDAI_GUARD_DENY",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_patterns(as_list(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.guard_deny; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.guard_deny = as_list(v); }},
      {"guard.timeout_ms",
       KeyType::integer,
       "3000",
       "Safety Configuration",
       "guard: timeout (ms)",
       "A guard decision not made within this time blocks the command.",
       "CMDAI_GUARD_TIMEOUT_MS",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_timeout_ms(as_int(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return std::int64_t{s.guard_timeout_ms}; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.guard_timeout_ms = static_cast<int>(as_int(v));
       }},
      {"shell.guard",
       KeyType::boolean,
       "false",
       "UI Preferences",
       "shell guard",
       "With cmdai init, check each command line on Enter and ask before a risky one runs.",
       "CMDAI_SHELL_GUARD",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.shell_guard; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.shell_guard = as_bool(v); }},
      {"shell.guard_level",
       KeyType::choice,
       "critical",
       "UI Preferences",
       "shell guard level",
       "The shell guard asks before commands of this risk level and above: critical or high.",
       "CMDAI_SHELL_GUARD_LEVEL",
       {"high", "critical"},
       false,
       [](const ConfigValue& v, const ConfigurationState&) {
         return check_choice(as_text(v), {"high", "critical"});
       },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue {
         return std::string(to_string(s.shell_guard_level));
       },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) {
         s.shell_guard_level = parse_risk_level(as_text(v)).value_or(RiskLevel::critical);
       }},
  };
}

std::vector<KeySpec> team_keys() {
  return {
      {"team.url",
       KeyType::text,
       "",
       "History Settings",
       "team server",
       "PostgreSQL URL of the team history (cmdai team push, search --team); passwords go in PGPASSFILE, not here.",
       "CMDAI_TEAM_URL",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_team_url(as_text(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.team_url; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.team_url = as_text(v); }},
      {"team.auto_push",
       KeyType::boolean,
       "false",
       "History Settings",
       "team auto push",
       "Push each new entry to the team server in the background.",
       "CMDAI_TEAM_AUTO_PUSH",
       {},
       false,
       any_bool,
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.team_auto_push; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.team_auto_push = as_bool(v); }},
      {"team.exclude_dirs",
       KeyType::list,
       "",
       "History Settings",
       "team: excluded dirs",
       "Entries recorded in these directories or below them are never pushed to the team server.",
       "CMDAI_TEAM_EXCLUDE_DIRS",
       {},
       false,
       [](const ConfigValue& v, const ConfigurationState&) { return check_directories(as_list(v)); },
       [](const ConfigurationState& s, const std::string&) -> ConfigValue { return s.team_exclude_dirs; },
       [](ConfigurationState& s, const std::string&, const ConfigValue& v) { s.team_exclude_dirs = as_list(v); }},
  };
}

std::vector<KeySpec> build_table() {
  std::vector<KeySpec> table = backend_keys();
  for (auto&& part : {history_keys(), team_keys(), safety_and_ui_keys(), guard_keys()})
    table.insert(table.end(), part.begin(), part.end());
  return table;
}

bool valid_instance_name(std::string_view name) { return !check_instance_name(name); }

// The instance's type when given, else its name read as a type.
std::optional<BackendType> type_of(const ConfigurationState& s, const std::string& name) {
  if (auto it = s.backend_configs.find(name); it != s.backend_configs.end() && it->second.type) return it->second.type;
  if (auto parsed = parse_backend_type(name)) return *parsed;
  return std::nullopt;
}

// preferred_backend and fallback_chain (types) follow the names.
void sync_backend_types(ConfigurationState& s) {
  s.preferred_backend = s.preferred_instance ? type_of(s, *s.preferred_instance) : std::nullopt;
  s.fallback_chain.clear();
  for (const auto& name : s.fallback_instances) {
    if (auto type = type_of(s, name)) s.fallback_chain.push_back(*type);
  }
}

}  // namespace

const std::vector<KeySpec>& key_table() {
  static const std::vector<KeySpec> table = build_table();
  return table;
}

const std::vector<std::string_view>& section_names() {
  static const std::vector<std::string_view> names{"Backend Configuration", "History Settings", "Safety Configuration",
                                                   "UI Preferences"};
  return names;
}

bool is_instance_key(const KeySpec& spec) { return spec.name.starts_with(k_instance_prefix); }

std::optional<ResolvedKey> resolve_key(std::string_view dotted) {
  for (const auto& spec : key_table()) {
    if (!is_instance_key(spec)) {
      if (spec.name == dotted) return ResolvedKey{&spec, "", std::string(dotted)};
      continue;
    }
    const std::string_view field = spec.name.substr(k_instance_prefix.size() + 2);  // after "*."
    if (!dotted.starts_with(k_instance_prefix) || !dotted.ends_with("." + std::string(field))) continue;
    const auto name =
        dotted.substr(k_instance_prefix.size(), dotted.size() - k_instance_prefix.size() - field.size() - 1);
    if (valid_instance_name(name)) return instance_key(spec, std::string(name));
  }
  return std::nullopt;
}

ResolvedKey instance_key(const KeySpec& spec, const std::string& instance) {
  const std::string field(spec.name.substr(k_instance_prefix.size() + 2));
  return ResolvedKey{&spec, instance, std::string(k_instance_prefix) + instance + "." + field};
}

std::string env_var_for(const ResolvedKey& key) {
  std::string name(key.spec->env_var);
  if (const auto star = name.find('*'); star != std::string::npos) {
    std::string upper;
    for (char c : key.instance)
      upper += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    name.replace(star, 1, upper);
  }
  return name;
}

std::vector<ResolvedKey> concrete_keys(const ConfigurationState& state) {
  std::vector<ResolvedKey> keys;
  for (const auto& spec : key_table()) {
    if (!is_instance_key(spec)) keys.push_back({&spec, "", std::string(spec.name)});
  }
  for (const auto& [name, config] : state.backend_configs) {
    for (const auto& spec : key_table()) {
      if (is_instance_key(spec)) keys.push_back(instance_key(spec, name));
    }
  }
  return keys;
}

ConfigValue get_value(const ConfigurationState& state, const ResolvedKey& key) {
  return key.spec->get(state, key.instance);
}

ConfigValue default_value(const ResolvedKey& key) { return key.spec->get(ConfigurationState{}, key.instance); }

void set_value(ConfigurationState& state, const ResolvedKey& key, const ConfigValue& value) {
  if (std::holds_alternative<std::monostate>(value) && !key.spec->optional) {
    key.spec->set(state, key.instance, default_value(key));
  } else {
    key.spec->set(state, key.instance, value);
  }
  sync_backend_types(state);
}

std::optional<std::string> check_value(const ResolvedKey& key, const ConfigValue& value,
                                       const ConfigurationState& context) {
  if (std::holds_alternative<std::monostate>(value)) return std::nullopt;  // unset: the default
  const bool type_ok = std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        switch (key.spec->type) {
          case KeyType::boolean: return std::is_same_v<T, bool>;
          case KeyType::integer: return std::is_same_v<T, std::int64_t>;
          case KeyType::text:
          case KeyType::choice: return std::is_same_v<T, std::string>;
          case KeyType::list: return std::is_same_v<T, std::vector<std::string>>;
        }
        return false;
      },
      value);
  if (!type_ok) return "must be a " + std::string(to_string(key.spec->type));
  return key.spec->validate(value, context);
}

std::vector<std::string> choices_for(const ResolvedKey& key, const ConfigurationState& state) {
  if (key.spec->type != KeyType::choice) return {};
  std::vector<std::string> out(key.spec->choices.begin(), key.spec->choices.end());
  if (key.spec->optional) out.insert(out.begin(), "");
  if (key.spec->name == "backend.preferred") {
    for (const auto& [name, config] : state.backend_configs) {
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  }
  return out;
}

std::optional<std::string> closest_key(std::string_view dotted) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& spec : key_table()) {
    if (is_instance_key(spec)) continue;
    const std::string_view name = spec.name;
    std::vector<std::size_t> row(name.size() + 1);
    for (std::size_t j = 0; j <= name.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= dotted.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= name.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (dotted[i - 1] == name[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    if (row[name.size()] < best_distance) {
      best_distance = row[name.size()];
      best = std::string(name);
    }
  }
  return best;
}

}  // namespace cmdai::config
