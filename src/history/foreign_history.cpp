#include "history/foreign_history.h"

#include <chrono>

#include "core/time.h"
#include "store/database.h"

namespace cmdai::history {
namespace {

// The tool's database opened read-only, checked to hold its table.
Result<store::Database> open_tool_database(const std::filesystem::path& file, std::string_view tool,
                                           std::string_view table) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return fail(ErrorCode::not_found, "no " + std::string(tool) + " database at " + file.string(),
                "give its path: cmdai history import --from " + std::string(tool) + " PATH");
  }
  const Error not_theirs{
      ErrorCode::invalid_argument,
      file.string() + " is not " + std::string(tool) + "'s history database (no table " + std::string(table) + ")",
      "give the path of " + std::string(tool) + "'s history.db"};
  if (std::filesystem::is_directory(file, ec)) return fail(not_theirs);
  auto db = store::Database::open(file, store::OpenMode::read_only);
  if (!db) return fail(db.error());
  auto found =
      db->query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + std::string(table) + "'");
  if (!found || *found == 0) return fail(not_theirs);
  return db;
}

bool has_column(store::Database& db, std::string_view table, std::string_view column) {
  auto found = db.query_int("SELECT count(*) FROM pragma_table_info('" + std::string(table) + "') WHERE name = '" +
                            std::string(column) + "'");
  return found && *found > 0;
}

// Nanoseconds since the epoch (atuin today) or an ISO-8601 text (atuin's
// first schema).
std::optional<Timestamp> atuin_time(const store::Statement& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  const std::string text = row.column_text(column);
  if (text.find_first_not_of("0123456789") == std::string::npos) {
    return Timestamp{std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds{row.column_int(column)})};
  }
  auto parsed = parse_iso8601(text);
  return parsed ? std::optional<Timestamp>(*parsed) : std::nullopt;
}

ShellCommand atuin_command(const store::Statement& row, std::size_t number) {
  ShellCommand command;
  command.line = number;
  command.source_id = row.column_text(0);
  command.timestamp = atuin_time(row, 1);
  // atuin writes -1 for what it did not learn (a command still running).
  if (!row.is_null(2) && row.column_int(2) >= 0) {
    command.duration = std::chrono::duration_cast<Micros>(std::chrono::nanoseconds{row.column_int(2)});
  }
  if (!row.is_null(3) && row.column_int(3) >= 0) command.exit_code = static_cast<int>(row.column_int(3));
  command.command = row.column_text(4);
  command.cwd = row.column_text(5);
  if (!row.is_null(6)) command.session = row.column_text(6);
  if (!row.is_null(7)) {
    const std::string host = row.column_text(7);  // "host:user"
    command.hostname = host.substr(0, host.find(':'));
  }
  return command;
}

ShellCommand mcfly_command(const store::Statement& row, std::size_t number) {
  ShellCommand command;
  command.line = number;
  command.source_id = row.column_text(0);
  command.command = row.column_text(1);
  if (!row.is_null(2)) command.session = row.column_text(2);
  if (!row.is_null(3)) command.timestamp = from_unix_seconds(row.column_int(3));
  if (!row.is_null(4)) command.exit_code = static_cast<int>(row.column_int(4));
  if (!row.is_null(5)) command.cwd = row.column_text(5);
  return command;
}

// Every row of the query, numbered from 1; rows without a command or a time
// are reported, not imported.
template <typename Convert>
Result<ShellHistory> read_rows(store::Database& db, const std::string& sql, Convert convert) {
  auto statement = db.prepare(sql);
  if (!statement) return fail(statement.error());
  ShellHistory out;
  for (std::size_t number = 1;; ++number) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    ShellCommand command = convert(*statement, number);
    if (command.command.find_first_not_of(" \t\n") == std::string::npos) {
      out.errors.push_back({number, "row without a command; skipped"});
    } else if (!command.timestamp) {
      out.errors.push_back({number, "row without a readable time; skipped"});
    } else {
      out.commands.push_back(std::move(command));
    }
  }
  return out;
}

std::filesystem::path data_home(const Env& env) {
  const auto data = env.get_var("XDG_DATA_HOME");
  return data && !data->empty() ? std::filesystem::path(*data) : std::filesystem::path(env.home_dir()) / ".local/share";
}

}  // namespace

Result<ShellHistory> read_atuin_history(const std::filesystem::path& file) {
  auto db = open_tool_database(file, "atuin", "history");
  if (!db) return fail(db.error());
  const std::string live = has_column(*db, "history", "deleted_at") ? " WHERE deleted_at IS NULL" : "";
  return read_rows(*db,
                   "SELECT id, timestamp, duration, exit, command, cwd, session, hostname FROM history" + live +
                       " ORDER BY timestamp, rowid",
                   atuin_command);
}

Result<ShellHistory> read_mcfly_history(const std::filesystem::path& file) {
  auto db = open_tool_database(file, "mcfly", "commands");
  if (!db) return fail(db.error());
  const std::string session = has_column(*db, "commands", "session_id") ? "session_id" : "NULL";
  return read_rows(*db, "SELECT id, cmd, " + session + ", when_run, exit_code, dir FROM commands ORDER BY when_run, id",
                   mcfly_command);
}

std::filesystem::path default_atuin_database(const Env& env) { return data_home(env) / "atuin" / "history.db"; }

std::filesystem::path default_mcfly_database(const Env& env) {
  const std::filesystem::path legacy = std::filesystem::path(env.home_dir()) / ".mcfly" / "history.db";
  return env.file_exists(legacy) ? legacy : data_home(env) / "mcfly" / "history.db";
}

}  // namespace cmdai::history
