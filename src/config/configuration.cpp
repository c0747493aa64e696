#include "config/configuration.h"

#include <toml++/toml.h>

namespace cmdai::config {
namespace {

std::string where(const std::filesystem::path& path, const toml::node& node) {
  return path.filename().string() + ":" + std::to_string(node.source().begin.line);
}

void read_backend(const toml::table& root, const std::filesystem::path& path, LoadedConfiguration& out) {
  const toml::node* node = root.at_path("backend.preferred").node();
  if (node == nullptr) return;
  auto text = node->value<std::string>();
  if (!text) {
    out.warnings.push_back(where(path, *node) + ": backend.preferred must be a string");
    return;
  }
  if (*text == "auto") return;
  if (auto parsed = parse_backend_type(*text)) {
    out.state.preferred_backend = *parsed;
  } else {
    out.warnings.push_back(where(path, *node) + ": " + parsed.error().describe());
  }
}

void read_bool(const toml::table& root, std::string_view key, bool& target, const std::filesystem::path& path,
               LoadedConfiguration& out) {
  const toml::node* node = root.at_path(key).node();
  if (node == nullptr) return;
  if (auto value = node->value<bool>()) {
    target = *value;
  } else {
    out.warnings.push_back(where(path, *node) + ": " + std::string(key) + " must be true or false");
  }
}

}  // namespace

std::string_view to_string(PrivacyLevel level) {
  switch (level) {
    case PrivacyLevel::off: return "off";
    case PrivacyLevel::redact: return "redact";
    case PrivacyLevel::skip: return "skip";
  }
  return "redact";
}

std::string_view to_string(SafetyLevel level) {
  switch (level) {
    case SafetyLevel::strict: return "strict";
    case SafetyLevel::moderate: return "moderate";
    case SafetyLevel::permissive: return "permissive";
  }
  return "moderate";
}

std::string_view to_string(VerbosityLevel level) {
  switch (level) {
    case VerbosityLevel::quiet: return "quiet";
    case VerbosityLevel::normal: return "normal";
    case VerbosityLevel::verbose: return "verbose";
    case VerbosityLevel::debug: return "debug";
  }
  return "normal";
}

LoadedConfiguration load_configuration(const Env& env, const std::filesystem::path& path) {
  LoadedConfiguration out;
  if (env.file_exists(path)) {
    auto text = env.read_file(path);
    if (!text) {
      out.warnings.push_back(text.error().describe());
    } else {
      try {
        // toml++ is built with exceptions here: a syntax error throws.
        const toml::table root = toml::parse(*text, path.string());
        read_backend(root, path, out);
        read_bool(root, "history.enabled", out.state.history_enabled, path, out);
        read_bool(root, "ui.streaming", out.state.streaming_enabled, path, out);
        read_bool(root, "ui.color", out.state.color_output, path, out);
        read_bool(root, "history.capture_shell", out.state.capture_shell, path, out);
        if (auto level = root.at_path("safety.level").value<std::string>()) {
          if (*level == "strict") out.state.safety_level = SafetyLevel::strict;
          if (*level == "permissive") out.state.safety_level = SafetyLevel::permissive;
          if (*level == "moderate") out.state.safety_level = SafetyLevel::moderate;
        }
        if (auto key = root.at_path("shell.key_binding").value<std::string>()) out.state.shell_key_binding = *key;
      } catch (const toml::parse_error& error) {
        out.warnings.push_back(path.filename().string() + ":" + std::to_string(error.source().begin.line) + ": " +
                               std::string(error.description()) + " (using defaults)");
      }
    }
  }
  if (env.get_var("NO_COLOR")) out.state.color_output = false;
  if (auto backend = env.get_var("CMDAI_BACKEND"); backend && *backend != "auto") {
    if (auto parsed = parse_backend_type(*backend)) out.state.preferred_backend = *parsed;
  }
  return out;
}

}  // namespace cmdai::config
