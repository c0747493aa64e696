#pragma once
// ConfigurationState (the seed's), loaded in layers: built-in defaults, the
// TOML file at Paths::config_file, CMDAI_* environment variables, then
// command-line overrides (later layers win). Every value remembers where it
// came from. An invalid file never stops cmdai: bad keys are reported as
// warnings ("config.toml:12: ...") and keep the value of the layer below.
// A file that does not parse at all never weakens safety: the last copy that
// parsed (config.toml.last-good, saved after each load that parsed) is used
// instead, with a warning naming FILE:LINE:COL; without one, the state says
// that nothing may run (ConfigurationState::execution_refused).
//
// The keys themselves (names, types, defaults, help, validators, environment
// variables) are data: see key_table.h.

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/env.h"
#include "core/error.h"

namespace cmdai::config {

enum class PrivacyLevel { off, redact, skip };
enum class SafetyLevel { strict, moderate, permissive };
enum class VerbosityLevel { quiet, normal, verbose, debug };
// What guard mode answers for a risk level (guard.safe ... guard.critical).
enum class GuardAction { pass, allow, ask, deny };

struct BackendConfig {
  std::optional<BackendType> type;  // unset: the instance name is the type ("ollama")
  std::string endpoint;             // http(s) URL for server backends; "" for llama/rules
  std::string model;                // model name, or a GGUF path for llama
  int timeout_ms = 30'000;          // > 0
  int retries = 1;                  // 0..10
  std::string api_key_env;          // name of the variable holding the API key; "" for none
  std::optional<bool> local;        // unset: true for loopback endpoints

  bool operator==(const BackendConfig&) const = default;
};

// What an instance's model offers, as the configuration declares it
// (backend.instances.NAME.context_length/capabilities/model_family). A
// server's own report from its health check takes precedence for the
// context length and family. 0 or empty: not declared.
struct ModelDeclaration {
  int context_length = 0;  // tokens; 0..16777216
  std::vector<std::string> capabilities;
  std::string model_family;

  bool operator==(const ModelDeclaration&) const = default;
};

// What every request needs from a model (backend.require.*; --min-context,
// --require-capability, --model-family). 0 or empty: no requirement.
struct ModelRequirements {
  int min_context_length = 0;
  std::vector<std::string> capabilities;
  std::string model_family;

  bool operator==(const ModelRequirements&) const = default;
};

struct RetentionPolicy {
  std::optional<std::size_t> max_entries;  // unset (0 in the file): no limit; else > 0
  std::optional<unsigned> max_age_days;    // unset: keep forever; else > 0
  bool preserve_favorites = true;
  bool preserve_frequently_used = true;

  bool operator==(const RetentionPolicy&) const = default;
};

struct ConfigurationState {
  // Backend configuration
  std::optional<BackendType> preferred_backend;  // unset: choose automatically
  std::map<std::string, BackendConfig> backend_configs;
  std::vector<BackendType> fallback_chain{BackendType::llama, BackendType::ollama, BackendType::rules};
  // Instance names (keys of backend_configs) may appear in the chain too;
  // preferred_instance holds an instance name given as backend.preferred.
  std::vector<std::string> fallback_instances{"llama", "ollama", "rules"};
  std::optional<std::string> preferred_instance;
  std::map<std::string, ModelDeclaration> instance_models;  // by instance name (keys of backend_configs)
  ModelRequirements model_requirements;
  bool discover_servers = true;  // backend.discover: look for model servers running on this machine
  // History settings
  bool history_enabled = true;
  RetentionPolicy retention_policy;
  PrivacyLevel privacy_mode = PrivacyLevel::redact;
  unsigned auto_cleanup_days = 0;      // an age limit when max_age_days is unset; 0: none
  int embed_agent_idle_seconds = 300;  // search.embed_agent_idle: the embedding agent's idle time; 0: no agent
  // Safety configuration
  SafetyLevel safety_level = SafetyLevel::moderate;
  std::vector<RiskLevel> confirmation_required{RiskLevel::moderate, RiskLevel::high, RiskLevel::critical};
  std::vector<std::string> custom_safety_patterns;  // RE2 syntax
  // UI preferences
  bool streaming_enabled = true;
  bool color_output = true;
  VerbosityLevel verbosity_level = VerbosityLevel::normal;
  // Shell integration (cmdai init)
  bool capture_shell = false;                // history.capture_shell: record commands run in the shell
  std::string shell_key_binding = "ctrl-g";  // shell.key_binding: ctrl-X or alt-X
  bool shell_ctrl_r = true;                  // shell.ctrl_r: Ctrl-R opens cmdai's history picker
  bool shell_enter_runs = true;              // shell.enter_runs: Enter in the picker runs the selection
  int picker_lines = 0;                      // shell.picker_lines: 0 full screen, N inline lines
  // Guard mode (cmdai guard AGENT; cmdai init SHELL --guard)
  std::array<GuardAction, 4> guard_actions{GuardAction::pass, GuardAction::pass, GuardAction::ask,
                                           GuardAction::deny};  // by RiskLevel: guard.safe ... guard.critical
  std::vector<std::string> guard_deny;                          // guard.deny: RE2 patterns always denied
  int guard_timeout_ms = 3000;                                  // guard.timeout_ms: a later decision blocks
  bool shell_guard = false;                                     // shell.guard: check the line on Enter
  RiskLevel shell_guard_level = RiskLevel::critical;            // shell.guard_level: ask from this level up
  // Team history on PostgreSQL (cmdai team)
  std::string team_url;                        // team.url: libpq URL, no password; "" for none
  bool team_auto_push = false;                 // team.auto_push: push after each new entry, in the background
  std::vector<std::string> team_exclude_dirs;  // team.exclude_dirs: entries recorded below these never leave
  // Not a key: set when the configuration file exists but could not be used
  // (it does not parse or cannot be read) and no earlier copy that loaded
  // stands in (last_good.h). It says why, starting with FILE:LINE:COL. While
  // it is set nothing is run (the settings it may hold, such as a strict
  // safety level, are unknown); generation still answers.
  std::optional<std::string> execution_refused;

  bool operator==(const ConfigurationState&) const = default;
};

// Where a value came from, lowest precedence first.
enum class Origin { default_value, file, env, command_line };

struct ValueOrigin {
  Origin origin = Origin::default_value;
  std::string where;  // "config.toml:12", "CMDAI_SAFETY_LEVEL", "--config"; "" for defaults
};

// One command-line override: key and value as text, and the option it came
// from ("--config", "--backend", "--no-color").
struct Override {
  std::string key;
  std::string value;
  std::string source;
};

// What the file layer was made of.
enum class FileSource {
  none,       // no file: defaults
  file,       // the file parsed (its bad values fell back key by key)
  last_good,  // the file was unusable; the last copy that parsed stood in
  unusable,   // the file was unusable and no copy stood in: defaults, nothing runs
};

struct LoadedConfiguration {
  ConfigurationState state;
  FileSource source = FileSource::none;
  std::vector<std::string> warnings;           // "config.toml:12: ..." for each bad key
  std::map<std::string, ValueOrigin> origins;  // dotted key -> origin; keys absent here are defaults
};

// Reads path (a missing file gives defaults) and applies CMDAI_* variables.
LoadedConfiguration load_configuration(const Env& env, const std::filesystem::path& path);
// The same, then applies overrides (the command-line layer) in order.
LoadedConfiguration load_configuration(const Env& env, const std::filesystem::path& path,
                                       const std::vector<Override>& overrides);

// Defaults and the file only, without environment or command line: what the
// file makes of the configuration (for saving, import and the audit trail).
LoadedConfiguration load_file_only(const Env& env, const std::filesystem::path& path);

std::string_view to_string(PrivacyLevel level);
std::string_view to_string(SafetyLevel level);
std::string_view to_string(VerbosityLevel level);
std::string_view to_string(Origin origin);
Result<PrivacyLevel> parse_privacy_level(std::string_view text);
Result<SafetyLevel> parse_safety_level(std::string_view text);
Result<VerbosityLevel> parse_verbosity_level(std::string_view text);

}  // namespace cmdai::config
