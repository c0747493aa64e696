#include <gtest/gtest.h>

#include <algorithm>

#include "core/time.h"
#include "core/uuid.h"
#include "pipeline/habits.h"
#include "support/temp_dir.h"

namespace cmdai::pipeline {
namespace {

CommandHistoryEntry ran(const std::string& command, std::optional<int> exit_code, long long when) {
  CommandHistoryEntry e;
  e.id = make_uuid_v4();
  e.timestamp = from_unix_seconds(when);
  e.command = command;
  e.explanation = "x";
  e.working_directory = "/home/u";
  ExecutionMetadata m;
  m.exit_code = exit_code;
  m.backend_used = "rules";
  e.execution_metadata = m;
  return e;
}

// The programs habits look up come from the validator's one parse.
TEST(Habits, ProgramsIncludeWhatWrappersRun) {
  const safety::Validator validator;
  const auto programs = validator.validate("sudo -n /bin/rm -rf /tmp/x | tee log", {}).programs;
  EXPECT_NE(std::find(programs.begin(), programs.end(), "rm"), programs.end());
  EXPECT_NE(std::find(programs.begin(), programs.end(), "tee"), programs.end());
  EXPECT_TRUE(validator.validate("echo 'unterminated", {}).programs.empty());
}

TEST(Habits, KnownAndMostlyFailingProgramsComeFromHistory) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "h.db");
  ASSERT_TRUE(store.has_value());
  ASSERT_TRUE(store->insert(ran("git status", 0, 1000)).has_value());
  ASSERT_TRUE(store->insert(ran("terraform apply", 1, 1001)).has_value());
  ASSERT_TRUE(store->insert(ran("terraform apply -auto-approve", 2, 1002)).has_value());
  ASSERT_TRUE(store->insert(ran("terraform plan", 0, 1003)).has_value());
  auto hints = habit_hints(*store, {"git", "terraform", "shred"});
  ASSERT_TRUE(hints.has_value()) << hints.error().describe();
  EXPECT_EQ(hints->known_programs, (std::vector<std::string>{"git", "terraform"}));
  EXPECT_EQ(hints->failing_programs, (std::vector<std::string>{"terraform"}));
}

TEST(Habits, ANeverSeenDestructiveProgramIsExplainedAsSuch) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "h.db");
  ASSERT_TRUE(store->insert(ran("ls -la", 0, 1000)).has_value());
  safety::ValidationContext context;
  context.working_directory = "/home/u/project";
  context.home_directory = "/home/u";
  auto result = safety::Validator{}.validate("shred -u secrets.txt", context);
  auto hints = habit_hints(*store, result.programs);
  ASSERT_TRUE(hints.has_value());
  safety::apply_habits(*hints, result);
  ASSERT_FALSE(result.is_safe);
  ASSERT_FALSE(result.anomalies.empty());
  EXPECT_NE(result.anomalies[0].find("you have not run 'shred' before"), std::string::npos) << result.anomalies[0];
}

}  // namespace
}  // namespace cmdai::pipeline
