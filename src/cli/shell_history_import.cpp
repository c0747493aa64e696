#include "cli/shell_history_import.h"

#include <map>
#include <memory>
#include <unordered_map>
#include <utility>

#include "history/history_store.h"
#include "history/import.h"
#include "pipeline/settings.h"
#include "safety/validator.h"

namespace cmdai::cli {

std::optional<std::filesystem::path> default_shell_history_file(const Env& env, ShellType shell) {
  const std::filesystem::path home = env.home_dir();
  switch (shell) {
    case ShellType::bash: return home / ".bash_history";
    case ShellType::zsh: {
      const auto zdotdir = env.get_var("ZDOTDIR");
      return (zdotdir && !zdotdir->empty() ? std::filesystem::path(*zdotdir) : home) / ".zsh_history";
    }
    case ShellType::fish: {
      const auto data = env.get_var("XDG_DATA_HOME");
      const std::filesystem::path base = data && !data->empty() ? std::filesystem::path(*data) : home / ".local/share";
      return base / "fish" / "fish_history";
    }
    default: return std::nullopt;
  }
}

namespace {

// What rating an import needs beyond the command: one validation context
// per directory and shell (its git branch and kube context read once, not
// once per command), and each program's PATH lookup and each path's kind on
// disk asked once for the whole import.
class ImportContexts {
 public:
  ImportContexts(config::ConfigurationState config, const Env& env) : m_config(std::move(config)), m_env(env) {}

  const safety::ValidationContext& context(const std::string& cwd, ShellType shell) {
    const auto key = std::make_pair(cwd, shell);
    auto it = m_contexts.find(key);
    if (it != m_contexts.end()) return it->second;
    safety::ValidationContext context = pipeline::validation_context(m_config, m_env, cwd, shell);
    if (context.on_path) {
      context.on_path = [this, lookup = std::move(context.on_path)](const std::string& program) {
        auto found = m_on_path.find(program);
        if (found == m_on_path.end()) found = m_on_path.emplace(program, lookup(program)).first;
        return found->second;
      };
    }
    if (context.file_kind) {
      context.file_kind = [this, lookup = std::move(context.file_kind)](const std::string& path) {
        auto found = m_file_kinds.find(path);
        if (found == m_file_kinds.end()) found = m_file_kinds.emplace(path, lookup(path)).first;
        return found->second;
      };
    }
    return m_contexts.emplace(key, std::move(context)).first->second;
  }

 private:
  config::ConfigurationState m_config;
  const Env& m_env;
  std::map<std::pair<std::string, ShellType>, safety::ValidationContext> m_contexts;
  std::unordered_map<std::string, bool> m_on_path;
  std::unordered_map<std::string, safety::FileKind> m_file_kinds;
};

}  // namespace

Result<history::Rater> import_rater(const config::ConfigurationState& config, const Env& env) {
  auto validator = pipeline::make_validator(config);
  if (!validator) return fail(validator.error());
  auto shared = std::make_shared<safety::Validator>(std::move(*validator));
  auto contexts = std::make_shared<ImportContexts>(config, env);
  const std::string home = env.home_dir();
  return history::Rater([shared, contexts, home](const history::RatingInput& input) {
    const std::string cwd = input.working_directory.empty() ? home : std::string(input.working_directory);
    const auto result = shared->validate(input.command, contexts->context(cwd, input.shell));
    return SafetyMetadata{result.risk_level, result.patterns_matched, false, result.safety_score};
  });
}

Result<std::size_t> import_shell_history(const config::ConfigurationState& config, const Env& env,
                                         const std::filesystem::path& history_db, ShellType shell,
                                         const std::filesystem::path& file) {
  history::ImportFormat format = history::ImportFormat::bash;
  switch (shell) {
    case ShellType::bash: format = history::ImportFormat::bash; break;
    case ShellType::zsh: format = history::ImportFormat::zsh; break;
    case ShellType::fish: format = history::ImportFormat::fish; break;
    case ShellType::sh:
    case ShellType::powershell:
      return fail(ErrorCode::invalid_argument, "cmdai imports bash, zsh and fish history only");
  }
  auto options = pipeline::history_options(config, env);
  options.session_id.clear();  // imported entries ran in no session of this shell
  auto store = history::HistoryStore::open(history_db, options);
  if (!store) return fail(store.error());
  auto rate = import_rater(config, env);
  if (!rate) return fail(rate.error());
  auto report = history::import_history(*store, format, file, *rate);
  if (!report) return fail(report.error());
  return static_cast<std::size_t>(report->imported);
}

}  // namespace cmdai::cli
