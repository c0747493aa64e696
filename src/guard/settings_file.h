#pragma once
// Installing `cmdai guard AGENT` as the agent's pre-tool hook: the hook
// entry in the agent's own settings file, as data per agent (file, event
// key, matcher, entry fields). Every other setting in the file is kept (key
// order too; comments in the file are dropped, which is why the original is
// kept as FILE.cmdai-backup before the first change). Installing twice
// changes nothing the second time; uninstalling removes only cmdai's entries
// and a file only when cmdai created it.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/error.h"
#include "guard/protocol.h"

namespace cmdai::guard {

enum class Scope { project, user };

std::string_view to_string(Scope scope);

// The agent's hook settings file: under project_dir for Scope::project,
// under home for Scope::user.
std::filesystem::path settings_path(const Protocol& protocol, Scope scope, const std::filesystem::path& project_dir,
                                    const std::filesystem::path& home);

// What to know about this agent's hooks after installing ("" for nothing).
std::string_view install_note(const Protocol& protocol);

inline constexpr std::string_view k_backup_suffix = ".cmdai-backup";

struct SettingsChange {
  std::filesystem::path file;
  bool changed = false;                         // false: it was already so
  std::optional<std::filesystem::path> backup;  // written by this change
  bool removed_file = false;                    // uninstall deleted the file cmdai had created
};

// Adds the hook running `command` (replacing an older cmdai guard entry for
// this agent). Errors: invalid_argument when the file is not a JSON object
// (it is left as it is), io_error when it cannot be written.
Result<SettingsChange> install_hook(Env& env, const Protocol& protocol, const std::filesystem::path& file,
                                    const std::string& command);

// Removes every cmdai guard entry for this agent. Errors as install_hook.
Result<SettingsChange> uninstall_hook(Env& env, const Protocol& protocol, const std::filesystem::path& file);

// The commands of the cmdai guard entries for this agent in file (none when
// the file does not exist). Errors as install_hook.
Result<std::vector<std::string>> installed_hooks(const Env& env, const Protocol& protocol,
                                                 const std::filesystem::path& file);

}  // namespace cmdai::guard
