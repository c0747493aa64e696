#pragma once
// Readers for the SQLite databases of other shell-history tools, so their
// users keep their years of history: atuin (`history` table: id, timestamp
// in nanoseconds, duration in nanoseconds, exit, command, cwd, session,
// hostname "host:user", deleted_at) and mcfly (`commands` table: id, cmd,
// session_id, when_run in seconds, exit_code, dir). Both are opened
// read-only; nothing is written to them. A row that cannot be used (no
// command, a bad time) is reported by its row number and skipped.

#include <filesystem>

#include "core/env.h"
#include "core/error.h"
#include "history/shell_history.h"

namespace cmdai::history {

// Errors: not_found for a missing file; invalid_argument for a file that is
// not such a database (not SQLite, or without the tool's table); the
// database's read errors.
Result<ShellHistory> read_atuin_history(const std::filesystem::path& file);
Result<ShellHistory> read_mcfly_history(const std::filesystem::path& file);

// Where each tool keeps its database by default:
// ${XDG_DATA_HOME:-~/.local/share}/atuin/history.db, and mcfly's
// ~/.mcfly/history.db when it exists, else ${XDG_DATA_HOME:-~/.local/share}/mcfly/history.db.
std::filesystem::path default_atuin_database(const Env& env);
std::filesystem::path default_mcfly_database(const Env& env);

}  // namespace cmdai::history
