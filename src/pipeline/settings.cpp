#include "pipeline/settings.h"

#include <filesystem>
#include <functional>

#include "exec/runner.h"

namespace cmdai::pipeline {
namespace {

std::string git_branch(const Env& env, std::filesystem::path dir) {
  for (int up = 0; up < 64 && !dir.empty(); ++up) {
    if (auto head = env.read_file(dir / ".git" / "HEAD")) {
      const std::string prefix = "ref: refs/heads/";
      if (head->rfind(prefix, 0) != 0) return {};
      std::string branch = head->substr(prefix.size());
      while (!branch.empty() && (branch.back() == '\n' || branch.back() == '\r')) branch.pop_back();
      return branch;
    }
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return {};
}

std::string kube_context(const Env& env) {
  std::string path = env.get_var("KUBECONFIG").value_or(env.home_dir() + "/.kube/config");
  path = path.substr(0, path.find(':'));
  auto text = env.read_file(path);
  if (!text) return {};
  const std::string key = "current-context:";
  const auto at = text->find("\n" + key);
  if (at == std::string::npos && text->rfind(key, 0) != 0) return {};
  std::size_t start = (at == std::string::npos ? 0 : at + 1) + key.size();
  std::string value = text->substr(start, text->find('\n', start) - start);
  const auto first = value.find_first_not_of(" \t\"'");
  const auto last = value.find_last_not_of(" \t\"'\r");
  return first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
}

safety::SafetyLevel safety_level(config::SafetyLevel level) {
  switch (level) {
    case config::SafetyLevel::strict: return safety::SafetyLevel::strict;
    case config::SafetyLevel::permissive: return safety::SafetyLevel::permissive;
    case config::SafetyLevel::moderate: break;
  }
  return safety::SafetyLevel::moderate;
}

}  // namespace

history::HistoryOptions history_options(const config::ConfigurationState& state, const Env& env) {
  history::HistoryOptions options;
  options.privacy = state.privacy_mode == config::PrivacyLevel::off    ? history::PrivacyMode::off
                    : state.privacy_mode == config::PrivacyLevel::skip ? history::PrivacyMode::skip
                                                                       : history::PrivacyMode::redact;
  options.retention.max_entries = state.retention_policy.max_entries;
  options.retention.max_age_days = state.retention_policy.max_age_days;
  if (!options.retention.max_age_days && state.auto_cleanup_days > 0) {
    options.retention.max_age_days = state.auto_cleanup_days;
  }
  options.retention.preserve_favorites = state.retention_policy.preserve_favorites;
  options.retention.preserve_frequently_used = state.retention_policy.preserve_frequently_used;
  options.hostname = env.host_name();
  // cmdai init gives each interactive shell its own id: the history picker's "this session".
  options.session_id = env.get_var("CMDAI_SESSION_ID").value_or("");
  options.clock = [&env] { return env.now(); };
  return options;
}

Result<safety::Validator> make_validator(const config::ConfigurationState& config) {
  auto patterns = safety::parse_custom_patterns(config.custom_safety_patterns);
  if (!patterns) return fail(patterns.error());
  return safety::Validator::create({*patterns});
}

namespace {

safety::FileKind file_kind_of(const Env& env, const std::string& path) {
  switch (env.file_type(path)) {
    case std::filesystem::file_type::not_found: return safety::FileKind::missing;
    case std::filesystem::file_type::regular: return safety::FileKind::regular;
    case std::filesystem::file_type::directory: return safety::FileKind::directory;
    case std::filesystem::file_type::block: return safety::FileKind::block_device;
    case std::filesystem::file_type::unknown:
    case std::filesystem::file_type::none: return safety::FileKind::unknown;
    default: return safety::FileKind::other;
  }
}

// Null when PATH is unset or empty: then the validator's own table decides.
std::function<bool(const std::string&)> path_lookup(const Env& env) {
  auto path = env.get_var("PATH");
  if (!path || path->empty()) return nullptr;
  return
      [path = std::move(path)](const std::string& program) { return exec::find_executable(program, path).has_value(); };
}

}  // namespace

safety::ValidationContext validation_context(const config::ConfigurationState& config, const Env& env,
                                             const std::string& working_directory, ShellType shell) {
  safety::ValidationContext context;
  context.working_directory = working_directory;
  context.home_directory = env.home_dir();
  context.shell = shell;
  context.is_root = env.is_root();
  context.is_ssh_session = env.get_var("SSH_CONNECTION").has_value() || env.get_var("SSH_TTY").has_value();
  context.kube_context = kube_context(env);
  context.git_branch = git_branch(env, working_directory);
  context.safety_level = safety_level(config.safety_level);
  context.file_kind = [&env](const std::string& path) { return file_kind_of(env, path); };
  context.on_path = path_lookup(env);
#ifdef __APPLE__
  context.userland = safety::Userland::bsd;
#endif
  return context;
}

}  // namespace cmdai::pipeline
