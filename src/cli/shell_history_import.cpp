#include "cli/shell_history_import.h"

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

Result<std::size_t> import_shell_history(const std::filesystem::path& /*history_db*/, ShellType shell,
                                         const std::filesystem::path& file) {
  // To be pointed at history::import_history(store, ImportFormat::<shell>, file)
  // once the history module provides it.
  return fail(
      ErrorCode::unavailable,
      "importing " + std::string(to_string(shell)) + " history (" + file.string() + ") is not available in this build",
      "run `cmdai init` again after upgrading; your shell history file was not changed");
}

}  // namespace cmdai::cli
