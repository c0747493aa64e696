// Installing the hook into each agent's settings file: created when absent,
// added beside every other setting (kept, with a backup of the original),
// idempotent, and removed again by uninstall.

#include "guard/settings_file.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fake_env.h"
#include "support/read_file.h"
#include "support/temp_dir.h"

namespace cmdai::guard {
namespace {

using Json = nlohmann::json;

struct Installer : ::testing::Test {
  testing::TempDir dir;
  testing::FakeEnv env;
  std::filesystem::path file_for(const std::string& agent) {
    return settings_path(*find_protocol(agent), Scope::project, dir.path(), dir.path() / "home");
  }
  Json read(const std::filesystem::path& file) { return Json::parse(*env.read_file(file)); }
};

const std::string k_command = "/usr/local/bin/cmdai guard claude-code";

TEST_F(Installer, ClaudeCodeGetsAPreToolUseBashHookInANewFile) {
  const auto file = file_for("claude-code");
  EXPECT_EQ(file, dir.path() / ".claude/settings.json");
  auto change = install_hook(env, *find_protocol("claude-code"), file, k_command);
  ASSERT_TRUE(change) << change.error().describe();
  EXPECT_TRUE(change->changed);
  EXPECT_FALSE(change->backup);
  const Json doc = read(file);
  ASSERT_EQ(doc["hooks"]["PreToolUse"].size(), 1u);
  EXPECT_EQ(doc["hooks"]["PreToolUse"][0]["matcher"], "Bash");
  EXPECT_EQ(doc["hooks"]["PreToolUse"][0]["hooks"][0]["type"], "command");
  EXPECT_EQ(doc["hooks"]["PreToolUse"][0]["hooks"][0]["command"], k_command);
}

TEST_F(Installer, EveryOtherSettingIsKeptAndTheOriginalBackedUp) {
  const auto file = file_for("claude-code");
  std::filesystem::create_directories(file.parent_path());
  const std::string original = R"json({
  "permissions": {"allow": ["Bash(npm test)"], "deny": ["Read(./.env)"]},
  "hooks": {
    "PreToolUse": [{"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "lint.sh"}]}],
    "PostToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "log.sh"}]}]
  },
  "model": "opus"
}
)json";
  ASSERT_TRUE(env.write_file_atomic(file, original));
  auto change = install_hook(env, *find_protocol("claude-code"), file, k_command);
  ASSERT_TRUE(change) << change.error().describe();
  ASSERT_TRUE(change->backup);
  EXPECT_EQ(*env.read_file(*change->backup), original);
  Json doc = read(file);
  EXPECT_EQ(doc["permissions"], Json::parse(original)["permissions"]);
  EXPECT_EQ(doc["model"], "opus");
  EXPECT_EQ(doc["hooks"]["PostToolUse"], Json::parse(original)["hooks"]["PostToolUse"]);
  ASSERT_EQ(doc["hooks"]["PreToolUse"].size(), 2u);
  EXPECT_EQ(doc["hooks"]["PreToolUse"][0]["matcher"], "Write|Edit");

  auto removed = uninstall_hook(env, *find_protocol("claude-code"), file);
  ASSERT_TRUE(removed) << removed.error().describe();
  EXPECT_TRUE(removed->changed);
  EXPECT_FALSE(removed->removed_file);
  EXPECT_EQ(read(file), Json::parse(original));
}

TEST_F(Installer, InstallingTwiceChangesNothingTheSecondTime) {
  const auto file = file_for("gemini-cli");
  const Protocol& gemini = *find_protocol("gemini-cli");
  ASSERT_TRUE(install_hook(env, gemini, file, "cmdai guard gemini-cli"));
  const std::string first = *env.read_file(file);
  auto again = install_hook(env, gemini, file, "cmdai guard gemini-cli");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(*env.read_file(file), first);
  // A new binary path replaces the old entry instead of adding a second one.
  ASSERT_TRUE(install_hook(env, gemini, file, "/opt/cmdai guard gemini-cli"));
  auto hooks = installed_hooks(env, gemini, file);
  ASSERT_TRUE(hooks);
  EXPECT_EQ(*hooks, std::vector<std::string>{"/opt/cmdai guard gemini-cli"});
  EXPECT_EQ(read(file)["hooks"]["BeforeTool"][0]["matcher"], "run_shell_command");
}

TEST_F(Installer, FlatListsForCursorAndCopilotWithTheirVersion) {
  const auto cursor = file_for("cursor");
  ASSERT_TRUE(install_hook(env, *find_protocol("cursor"), cursor, "cmdai guard cursor"));
  EXPECT_EQ(read(cursor), Json::parse(R"({"version": 1, "hooks": {"beforeShellExecution": [
                                          {"command": "cmdai guard cursor"}]}})"));
  const auto copilot = file_for("copilot-cli");
  EXPECT_EQ(copilot, dir.path() / ".github/hooks/cmdai.json");
  ASSERT_TRUE(install_hook(env, *find_protocol("copilot-cli"), copilot, "cmdai guard copilot-cli"));
  EXPECT_EQ(read(copilot)["hooks"]["preToolUse"][0]["bash"], "cmdai guard copilot-cli");
  EXPECT_EQ(read(copilot)["hooks"]["preToolUse"][0]["type"], "command");
}

TEST_F(Installer, UninstallDeletesAFileOnlyCmdaiCreated) {
  const auto file = file_for("codex");
  const Protocol& codex = *find_protocol("codex");
  ASSERT_TRUE(install_hook(env, codex, file, "cmdai guard codex"));
  auto removed = uninstall_hook(env, codex, file);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(removed->removed_file);
  EXPECT_FALSE(std::filesystem::exists(file));
  auto nothing = uninstall_hook(env, codex, file);
  ASSERT_TRUE(nothing);
  EXPECT_FALSE(nothing->changed);
}

TEST_F(Installer, OtherAgentsEntriesAndForeignHooksAreLeftAlone) {
  const auto file = file_for("claude-code");
  std::filesystem::create_directories(file.parent_path());
  ASSERT_TRUE(env.write_file_atomic(file, R"({"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [
      {"type": "command", "command": "dcg"}, {"type": "command", "command": "cmdai guard codex"}]}]}})"));
  ASSERT_TRUE(install_hook(env, *find_protocol("claude-code"), file, k_command));
  ASSERT_TRUE(uninstall_hook(env, *find_protocol("claude-code"), file));
  EXPECT_EQ(read(file)["hooks"]["PreToolUse"][0]["hooks"].size(), 2u);
}

TEST_F(Installer, AFileThatIsNotJsonIsLeftAsItIs) {
  const auto file = file_for("claude-code");
  std::filesystem::create_directories(file.parent_path());
  ASSERT_TRUE(env.write_file_atomic(file, "{\"model\": \"opus\",,}"));
  auto change = install_hook(env, *find_protocol("claude-code"), file, k_command);
  ASSERT_FALSE(change);
  EXPECT_EQ(change.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(*env.read_file(file), "{\"model\": \"opus\",,}");
  EXPECT_FALSE(std::filesystem::exists(file.string() + std::string(k_backup_suffix)));
  EXPECT_FALSE(uninstall_hook(env, *find_protocol("claude-code"), file));
}

TEST_F(Installer, UserScopeIsUnderTheHomeDirectory) {
  const auto& claude = *find_protocol("claude-code");
  EXPECT_EQ(settings_path(claude, Scope::user, "/p", "/home/u"), "/home/u/.claude/settings.json");
  EXPECT_EQ(settings_path(*find_protocol("copilot-cli"), Scope::user, "/p", "/home/u"),
            "/home/u/.copilot/hooks/cmdai.json");
  for (const auto& protocol : protocols()) {
    EXPECT_NE(settings_path(protocol, Scope::project, "/p", "/h"), "/p") << protocol.name;
  }
}

}  // namespace
}  // namespace cmdai::guard
