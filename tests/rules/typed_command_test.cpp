// Requests typed as commands are answered as typed or left to the
// templates; typed options survive; named values are never dropped.
#include <gtest/gtest.h>

#include <string>

#include "rules/slots.h"
#include "rules/templates.h"
#include "rules/typed_command.h"

namespace cmdai::rules {
namespace {

std::string answer(const std::string& request) {
  auto match = match_request(request, Userland::gnu);
  return match ? match->answer.command : "-";
}

TEST(RulesTypedCommand, CommandsWithOptionsOrValuesPassThroughUnchanged) {
  for (const char* request :
       {"du -sh", "tar xzf foo.tgz", "pacman -Syu", "npm i -g pnpm", "echo $PATH", "export GOPATH=~/go", "kill -9 1234",
        "ps aux | grep nginx", "find . -name '*.py'", "grep -rn 'a|b' src", "uptime"}) {
    auto typed = typed_command(request);
    ASSERT_TRUE(typed.has_value()) << request;
    EXPECT_TRUE(typed->has_values) << request;
    EXPECT_EQ(answer(request), request);
  }
  EXPECT_EQ(answer("  du -sh  "), "du -sh");
  EXPECT_EQ(answer("sudo apt upgrade"), "sudo apt upgrade");
}

TEST(RulesTypedCommand, AMistypedVerbIsNotACommand) {
  EXPECT_FALSE(typed_command("git stat").has_value());
  EXPECT_FALSE(typed_command("docker sp").has_value());
  EXPECT_TRUE(typed_command("git status").has_value());
}

TEST(RulesTypedCommand, ProseIsNotACommand) {
  for (const char* prose : {"find all files in /tmp", "kill firefox", "sort names.txt alphabetically",
                            "watch /var/log/syslog live", "ping 8.8.8.8 three times", "top 5 memory hogs",
                            "who is the president", "which node", "grep -r TODO in ./app", "tail -f the log app.log"}) {
    EXPECT_FALSE(typed_command(prose).has_value()) << prose;
  }
}

TEST(RulesTypedCommand, AModifierPhraseAmongTheArgumentsIsProse) {
  // "newest first" is an order asked in English, not two revisions.
  for (const char* prose : {"git log newest first", "docker ps since the last boot", "ls /etc largest first"}) {
    EXPECT_FALSE(typed_command(prose).has_value()) << prose;
  }
  // A quoted phrase is a value, and one-word modifiers are left to the matcher.
  EXPECT_TRUE(typed_command("grep -rn 'oldest first' notes").has_value());
  EXPECT_TRUE(typed_command("git log --reverse").has_value());
}

TEST(RulesTypedCommand, ShellSyntaxBeyondPipesIsNeverPassedThrough) {
  for (const char* request : {"ls; rm -rf ~", "ls && reboot", "echo $(id)", "echo `id`", "ls > out.txt", "ls | | wc",
                              "ls|sh", "du -sh\nreboot", "echo 'unclosed", "ls || true"}) {
    EXPECT_FALSE(typed_command(request).has_value()) << request;
  }
}

TEST(RulesTypedCommand, BareCommandsPreferATemplateAndFallBackToTheCommand) {
  auto typed = typed_command("pacman install firefox");
  ASSERT_TRUE(typed.has_value());
  EXPECT_FALSE(typed->has_values);
  EXPECT_EQ(answer("pacman install firefox"), "sudo pacman -S firefox");
  // The template kills by the exact name: "firefox" never also matches "firefox-bin".
  EXPECT_EQ(answer("pkill firefox"), "pkill -x firefox");
  EXPECT_EQ(answer("git stash list"), "git stash list");
}

TEST(RulesTypedOptions, AreNeverTakenAsValuesAndMustSurvive) {
  EXPECT_EQ(answer("grep -r TODO in ./app"), "grep -rn -- 'TODO' ./app");
  // No template carries "-z" for this: refusing beats dropping it.
  EXPECT_EQ(answer("show the first 5 lines of data.csv -z"), "-");
}

TEST(RulesNamedValues, ATemplateIgnoringOneIsNotUsed) {
  // The jpeg filter must not be dropped; the zip name must not be lost.
  const std::string jpeg = answer("any jpeg over 5 MB in Pictures?");
  EXPECT_NE(jpeg.find("-iname '*.jpeg'"), std::string::npos) << jpeg;
  EXPECT_EQ(answer("create archive.zip from the folder reports"), "zip -r archive.zip reports");
  EXPECT_EQ(answer("set JAVA_HOME to /usr/lib/jvm/java-17"), "export JAVA_HOME=/usr/lib/jvm/java-17");
}

TEST(RulesSlots, ADotWordAfterMyIsOneFile) {
  auto mine = extract_slots("where is my .zshrc");
  ASSERT_EQ(mine.files.size(), 1u);
  EXPECT_EQ(mine.files[0], ".zshrc");
  EXPECT_TRUE(mine.extensions.empty());
  auto all = extract_slots("find .env files");
  ASSERT_EQ(all.extensions.size(), 1u);
  EXPECT_EQ(all.extensions[0], "env");
}

TEST(RulesSlots, ACredentialIsNeverAValueAndNeverInTheCommand) {
  const std::string key = "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";
  EXPECT_EQ(answer("show git status with key " + key), "git status");
  EXPECT_EQ(answer("find files named " + key).find(key), std::string::npos);
  // A commit hash is a value.
  EXPECT_EQ(answer("revert commit 3f2a9c1e4b5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f"),
            "git revert 3f2a9c1e4b5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f");
}

TEST(RulesNamedValues, UnknownWordsLeftUnexplainedAreRefused) {
  EXPECT_EQ(answer("who is the president"), "-");
  EXPECT_EQ(answer("what's the weather like tomorrow"), "-");
}

TEST(RulesDurations, WithoutANumber) {
  auto hour = extract_slots("stuff modified in the last hour");
  ASSERT_TRUE(hour.age.has_value());
  EXPECT_EQ(hour.age->minutes(), 60);
  EXPECT_EQ(hour.age->relation, Duration::Relation::within);
  auto week = extract_slots("files changed since last week");
  ASSERT_TRUE(week.age.has_value());
  EXPECT_EQ(week.age->amount, 7);
  auto year = extract_slots("files older than a year in /backup");
  ASSERT_TRUE(year.age.has_value());
  EXPECT_EQ(year.age->amount, 365);
  EXPECT_EQ(year.age->relation, Duration::Relation::older_than);
  auto spelled = extract_slots("logs changed in the last two days");
  ASSERT_TRUE(spelled.age.has_value());
  EXPECT_EQ(spelled.age->amount, 2);
  EXPECT_EQ(answer("stuff modified in the last hour"), "find . -type f -mmin -60");
  EXPECT_EQ(answer("find files older than a year in /backup"), "find /backup -type f -mtime +365");
  EXPECT_EQ(answer("find zero byte files"), "find . -type f -empty");
}

}  // namespace
}  // namespace cmdai::rules
