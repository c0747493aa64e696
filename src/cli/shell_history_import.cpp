#include "cli/shell_history_import.h"

#include <memory>

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

Result<history::Rater> import_rater(const config::ConfigurationState& config, const Env& env) {
  auto validator = pipeline::make_validator(config);
  if (!validator) return fail(validator.error());
  auto shared = std::make_shared<safety::Validator>(std::move(*validator));
  const std::string home = env.home_dir();
  return history::Rater([shared, config, &env, home](const CommandHistoryEntry& entry) {
    const std::string cwd = entry.working_directory.empty() ? home : entry.working_directory;
    const auto result =
        shared->validate(entry.command, pipeline::validation_context(config, env, cwd, entry.shell_type));
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
