#pragma once
// ConfigurationState (the seed's), loaded from the TOML file at
// Paths::config_file with environment overrides. An invalid file never stops
// cmdai: bad keys are reported as warnings and keep their defaults.

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

struct BackendConfig {
  std::string endpoint;  // http(s) URL for server backends
  std::string model;     // model name, or a GGUF path for llama
  int timeout_ms = 30'000;
  int retries = 1;
  std::optional<BackendType> type;  // unset: the name, or its prefix before '-', names the type
  std::optional<bool> local;        // unset: true for loopback endpoints
};

struct RetentionPolicy {
  std::optional<std::size_t> max_entries = 100'000;
  std::optional<unsigned> max_age_days;  // unset: keep forever
  bool preserve_favorites = true;
  bool preserve_frequently_used = true;
};

struct ConfigurationState {
  // Backend configuration
  std::optional<BackendType> preferred_backend;  // unset: choose automatically
  std::map<std::string, BackendConfig> backend_configs;
  std::vector<BackendType> fallback_chain{BackendType::llama, BackendType::ollama, BackendType::rules};
  // History settings
  bool history_enabled = true;
  RetentionPolicy retention_policy;
  PrivacyLevel privacy_mode = PrivacyLevel::redact;
  unsigned auto_cleanup_days = 0;  // 0: never
  // Safety configuration
  SafetyLevel safety_level = SafetyLevel::moderate;
  std::vector<RiskLevel> confirmation_required{RiskLevel::moderate, RiskLevel::high, RiskLevel::critical};
  std::vector<std::string> custom_safety_patterns;
  // UI preferences
  bool streaming_enabled = true;
  bool color_output = true;
  VerbosityLevel verbosity_level = VerbosityLevel::normal;
  // Shell integration (cmdai init)
  bool capture_shell = false;                // history.capture_shell: record commands run in the shell
  std::string shell_key_binding = "ctrl-g";  // shell.key_binding: ctrl-X or alt-X
};

struct LoadedConfiguration {
  ConfigurationState state;
  std::vector<std::string> warnings;  // "config.toml:12: ..." for each bad key
};

// Reads path (a missing file gives defaults) and applies CMDAI_* variables.
LoadedConfiguration load_configuration(const Env& env, const std::filesystem::path& path);

std::string_view to_string(PrivacyLevel level);
std::string_view to_string(SafetyLevel level);
std::string_view to_string(VerbosityLevel level);

}  // namespace cmdai::config
