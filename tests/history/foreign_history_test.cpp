// atuin's and mcfly's databases, built here with the CREATE TABLE statements
// those tools run (atuin: its first migration and the deleted_at column;
// mcfly: its schema at version 3), then imported.

#include <gtest/gtest.h>

#include <fstream>

#include "core/entity_json.h"
#include "history/foreign_history.h"
#include "history/import.h"
#include "history_test_support.h"
#include "safety/validator.h"
#include "store/database.h"
#include "support/fake_env.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

constexpr std::string_view k_atuin_schema = R"sql(
create table if not exists history (
	id text primary key,
	timestamp integer not null,
	duration integer not null,
	exit integer not null,
	command text not null,
	cwd text not null,
	session text not null,
	hostname text not null,

	unique(timestamp, cwd, command)
);

create index if not exists idx_history_timestamp on history(timestamp);
create index if not exists idx_history_command on history(command);
alter table history add column deleted_at integer;
)sql";

constexpr std::string_view k_mcfly_schema = R"sql(
CREATE TABLE commands(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cmd TEXT NOT NULL,
  cmd_tpl TEXT,
  session_id TEXT NOT NULL,
  when_run INTEGER NOT NULL,
  exit_code INTEGER NOT NULL,
  selected INTEGER NOT NULL,
  dir TEXT,
  old_dir TEXT
);
CREATE INDEX command_cmds ON commands (cmd);
CREATE INDEX command_session_id ON commands (session_id);
CREATE INDEX command_dirs ON commands (dir);
CREATE TABLE selected_commands(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cmd TEXT NOT NULL,
  session_id TEXT NOT NULL,
  dir TEXT NOT NULL
);
CREATE INDEX selected_command_session_cmds ON selected_commands (session_id, cmd);
)sql";

std::filesystem::path make_database(const std::filesystem::path& path, std::string_view schema, std::string_view rows) {
  auto db = store::Database::open(path);
  EXPECT_TRUE(db.has_value());
  EXPECT_TRUE(db->exec(std::string(schema)).has_value());
  auto inserted = db->exec(std::string(rows));
  EXPECT_TRUE(inserted.has_value()) << inserted.error().message;
  return path;
}

// 2023-11-14T22:13:20Z in atuin's nanoseconds.
constexpr std::string_view k_atuin_rows = R"sql(
INSERT INTO history VALUES ('018bd1b4c0a07c2a9d3e5f0a1b2c3d4e', 1700000000000000000, 1500000000, 0,
  'cargo build --release', '/home/me/proj', 'session-1', 'laptop:me', NULL);
INSERT INTO history VALUES ('018BD1B4C0A07C2A9D3E5F0A1B2C3D4F', 1700000060000000000, 25000000, 1,
  'rm -rf ~/old-project', '/home/me', 'session-1', 'laptop:me', NULL);
INSERT INTO history VALUES ('018bd1b4c0a07c2a9d3e5f0a1b2c3d50', 1700000120000000000, -1, -1,
  'sleep 100', '/tmp', 'session-2', 'desk:me', NULL);
INSERT INTO history VALUES ('018bd1b4c0a07c2a9d3e5f0a1b2c3d51', 1700000180000000000, 1000, 0,
  'echo deleted in atuin', '/tmp', 'session-2', 'desk:me', 1700000200000000000);
INSERT INTO history VALUES ('018bd1b4c0a07c2a9d3e5f0a1b2c3d52', 1700000240000000000, 1000, 0,
  '   ', '/tmp', 'session-2', 'desk:me', NULL);
)sql";

constexpr std::string_view k_mcfly_rows = R"sql(
INSERT INTO commands (cmd, cmd_tpl, session_id, when_run, exit_code, selected, dir, old_dir)
  VALUES ('make test', 'make test', 's1', 1700000000, 2, 0, '/src/app', NULL);
INSERT INTO commands (cmd, cmd_tpl, session_id, when_run, exit_code, selected, dir, old_dir)
  VALUES ('git status', 'git status', 's1', 1700000030, 0, 1, '/src/app', NULL);
)sql";

Rater real_rater(const safety::Validator& validator) {
  return [&validator](const RatingInput& input) {
    safety::ValidationContext context;
    context.working_directory = input.working_directory.empty() ? "/home/me" : std::string(input.working_directory);
    context.home_directory = "/home/me";
    context.shell = input.shell;
    const auto result = validator.validate(input.command, context);
    return SafetyMetadata{result.risk_level, result.patterns_matched, false, result.safety_score};
  };
}

TEST(ForeignHistory, AtuinRowsKeepTimeDurationExitDirectoryHostAndSession) {
  testing::TempDir dir;
  const auto file = make_database(dir / "atuin.db", k_atuin_schema, k_atuin_rows);
  auto read = read_atuin_history(file);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->commands.size(), 3u) << "the row atuin deleted and the blank one are not imported";
  ASSERT_EQ(read->errors.size(), 1u);
  EXPECT_EQ(read->errors[0].message, "row without a command; skipped");
  const auto& first = read->commands[0];
  EXPECT_EQ(first.command, "cargo build --release");
  EXPECT_EQ(to_unix_seconds(*first.timestamp), 1'700'000'000);
  EXPECT_EQ(first.duration, std::chrono::milliseconds{1500});
  EXPECT_EQ(first.exit_code, 0);
  EXPECT_EQ(first.cwd, "/home/me/proj");
  EXPECT_EQ(first.hostname, "laptop");
  EXPECT_EQ(first.session, "session-1");
  EXPECT_FALSE(read->commands[2].duration.has_value()) << "atuin's -1: not known";
  EXPECT_FALSE(read->commands[2].exit_code.has_value());
}

TEST(ForeignHistory, AtuinImportIsRatedIdempotentAndLowerCase) {
  testing::TempDir dir;
  const auto file = make_database(dir / "atuin.db", k_atuin_schema, k_atuin_rows);
  auto validator = safety::Validator::create({});
  ASSERT_TRUE(validator.has_value());
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto report = import_history(*store, ImportFormat::atuin, file, real_rater(*validator));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->imported, 3);
  EXPECT_EQ(report->errors.size(), 1u);
  auto again = import_history(*store, ImportFormat::atuin, file, real_rater(*validator));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->skipped, 3) << "atuin's ids make a second import add nothing";

  auto records = store->list_records({0, 10}).value();
  ASSERT_EQ(records.size(), 3u);
  for (const auto& record : records) {
    EXPECT_EQ(record.entry.id, canonical_id(record.entry.id));
    ASSERT_TRUE(record.entry.safety_metadata.has_value()) << record.entry.command << " was not rated";
  }
  const auto& removal = records[1];
  EXPECT_EQ(removal.entry.command, "rm -rf ~/old-project");
  EXPECT_GE(removal.entry.safety_metadata->risk_level, RiskLevel::high) << "never listed as safe";
  EXPECT_EQ(removal.entry.execution_metadata->exit_code, 1);
  EXPECT_EQ(removal.entry.execution_metadata->backend_used, "atuin");
  EXPECT_EQ(removal.entry.working_directory, "/home/me");
  EXPECT_EQ(removal.hostname, "laptop");
  EXPECT_EQ(records[2].entry.safety_metadata->risk_level, RiskLevel::safe);
}

TEST(ForeignHistory, McflyRowsImportWithExitStatusDirectoryAndSession) {
  testing::TempDir dir;
  const auto file = make_database(dir / "mcfly.db", k_mcfly_schema, k_mcfly_rows);
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto report = import_history(*store, ImportFormat::mcfly, file);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->imported, 2);
  auto records = store->list_records({0, 10}).value();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].entry.command, "git status");
  EXPECT_EQ(records[1].entry.command, "make test");
  EXPECT_EQ(records[1].entry.execution_metadata->exit_code, 2);
  EXPECT_EQ(records[1].entry.working_directory, "/src/app");
  EXPECT_EQ(records[1].session_id, "s1");
  EXPECT_EQ(to_unix_seconds(records[1].entry.timestamp), 1'700'000'000);
  EXPECT_FALSE(records[1].entry.safety_metadata.has_value()) << "without a rater an entry stays unrated";
}

TEST(ForeignHistory, WrongOrMissingDatabasesAreClearErrors) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto missing = import_history(*store, ImportFormat::atuin, dir / "nope.db");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  const auto mcfly = make_database(dir / "mcfly.db", k_mcfly_schema, k_mcfly_rows);
  auto swapped = import_history(*store, ImportFormat::atuin, mcfly);
  ASSERT_FALSE(swapped.has_value());
  EXPECT_EQ(swapped.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(swapped.error().message.find("not atuin's history database"), std::string::npos);
  std::ofstream(dir / "text.db") << "ls\ncd /tmp\n";
  auto text = import_history(*store, ImportFormat::mcfly, dir / "text.db");
  ASSERT_FALSE(text.has_value()) << "a text file is not a database";
  EXPECT_EQ(store->count().value(), 0) << "nothing was imported";
  auto from_text = import_history_text(*store, ImportFormat::atuin, "ls\n");
  ASSERT_FALSE(from_text.has_value());
  EXPECT_EQ(from_text.error().code, ErrorCode::invalid_argument);
}

TEST(ForeignHistory, ImportedCommandsAreRatedOncePerDistinctCommand) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  int calls = 0;
  Rater counting = [&calls](const RatingInput&) {
    ++calls;
    return SafetyMetadata{RiskLevel::moderate, {"counted"}, false, 0.5};
  };
  auto report = import_history_text(*store, ImportFormat::bash, "ls\nls\ngit status\nls\n", counting);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->imported, 4);
  EXPECT_EQ(calls, 2);
  const auto entries = store->list({0, 10}).value();
  for (const auto& entry : entries) {
    ASSERT_TRUE(entry.safety_metadata.has_value());
    EXPECT_EQ(entry.safety_metadata->risk_level, RiskLevel::moderate);
  }
}

// The same command in the same directory, run in two shells: each entry
// carries its own shell's rating, and each shell's command is rated once.
TEST(ForeignHistory, ImportedCommandsAreRatedPerShell) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  int calls = 0;
  Rater by_shell = [&calls](const RatingInput& input) {
    ++calls;
    return input.shell == ShellType::fish ? SafetyMetadata{RiskLevel::high, {"fish.only"}, false, 0.3}
                                          : SafetyMetadata{RiskLevel::safe, {}, false, 1.0};
  };
  std::string text;
  const std::vector<std::string> shells = {"bash", "fish", "bash", "fish"};
  for (std::size_t i = 0; i < shells.size(); ++i) {
    auto entry = make_entry("echo $status", 1'700'000'000 + static_cast<long long>(i), "/srv");
    auto json = to_json(entry);
    json["shell_type"] = shells[i];
    text += json.dump() + "\n";
  }
  auto report = import_history_text(*store, ImportFormat::jsonl, text, by_shell);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->imported, 4);
  EXPECT_EQ(calls, 2) << "once per shell";
  const auto entries = store->list({0, 10}).value();
  for (const auto& entry : entries) {
    ASSERT_TRUE(entry.safety_metadata.has_value());
    const RiskLevel expected = entry.shell_type == ShellType::fish ? RiskLevel::high : RiskLevel::safe;
    EXPECT_EQ(entry.safety_metadata->risk_level, expected) << to_string(entry.shell_type);
  }
}

TEST(ForeignHistory, DefaultPathsFollowXdg) {
  testing::TempDir dir;
  testing::FakeEnv env;
  env.m_home = dir.path().string();
  EXPECT_EQ(default_atuin_database(env), dir / ".local/share/atuin/history.db");
  EXPECT_EQ(default_mcfly_database(env), dir / ".local/share/mcfly/history.db");
  env.set_var("XDG_DATA_HOME", (dir / "data").string());
  EXPECT_EQ(default_atuin_database(env), dir / "data/atuin/history.db");
  std::filesystem::create_directories(dir / ".mcfly");
  std::ofstream(dir / ".mcfly/history.db") << "";
  EXPECT_EQ(default_mcfly_database(env), dir / ".mcfly/history.db") << "mcfly's older place wins when it exists";
}

}  // namespace
}  // namespace cmdai::history
