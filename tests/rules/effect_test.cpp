#include "rules/effect.h"

#include <gtest/gtest.h>

#include <string>

#include "rules/templates.h"

namespace cmdai::rules {
namespace {

TEST(CommandEffect, ProgramsThatChangeStateWrite) {
  EXPECT_EQ(command_effect("rm -f a.txt"), Effect::write);
  EXPECT_EQ(command_effect("git commit --amend"), Effect::write);
  EXPECT_EQ(command_effect("git branch -d feature"), Effect::write);
  EXPECT_EQ(command_effect("sed -i 's/a/b/' f.txt"), Effect::write);
  EXPECT_EQ(command_effect("find . -type f -mtime +14 -delete"), Effect::write);
  EXPECT_EQ(command_effect("sudo systemctl enable --now mariadb"), Effect::write);
  EXPECT_EQ(command_effect("docker compose down -v"), Effect::write);
  EXPECT_EQ(command_effect("sort data.txt > sorted.txt"), Effect::write);
  EXPECT_EQ(command_effect("tar -czf site.tar.gz site"), Effect::write);
}

TEST(CommandEffect, ProgramsThatOnlyLookRead) {
  EXPECT_EQ(command_effect("git log --oneline -n 10"), Effect::read);
  EXPECT_EQ(command_effect("git show --stat HEAD"), Effect::read);
  EXPECT_EQ(command_effect("git stash list"), Effect::read);
  EXPECT_EQ(command_effect("grep -rn -- 'a | rm x' ."), Effect::read);  // quoted text is no command
  EXPECT_EQ(command_effect("find . -type f -name '*.py' 2>/dev/null"), Effect::read);
  EXPECT_EQ(command_effect("timedatectl timesync-status"), Effect::read);
  EXPECT_EQ(command_effect("docker compose ps"), Effect::read);
  EXPECT_EQ(command_effect("tar -tzf site.tar.gz"), Effect::read);
  EXPECT_EQ(command_effect("git --version"), Effect::read);
  EXPECT_EQ(command_effect("find . -name ''\\''; rm -rf / #'"), Effect::read);  // an escaped quote opens nothing
}

TEST(CommandEffect, WhatCannotBeSeenIsUnknown) {
  EXPECT_EQ(command_effect("ssh web1 uptime"), Effect::unknown);
  EXPECT_EQ(command_effect("npm run build"), Effect::unknown);
  EXPECT_EQ(command_effect("find . -name '*.log' -exec gzip {} +"), Effect::unknown);
  EXPECT_EQ(command_effect("ls | frobnicate"), Effect::unknown);
}

Effect intent(std::string_view request) { return request_intent(extract_slots(request)); }

TEST(RequestIntent, TheLeadingWordDecides) {
  EXPECT_EQ(intent("show the last commit"), Effect::read);
  EXPECT_EQ(intent("could you please list files changed in the last commit"), Effect::read);
  EXPECT_EQ(intent("how many lines in app.log"), Effect::read);
  EXPECT_EQ(intent("what groups is anna in"), Effect::read);
  EXPECT_EQ(intent("delete journal logs older than 2 weeks"), Effect::write);
  EXPECT_EQ(intent("pls turn on ntp time sync"), Effect::write);
  EXPECT_EQ(intent("change the author of the last commit"), Effect::write);
}

TEST(RequestIntent, AChangeNamedAnywhereIsNoReadRequest) {
  EXPECT_EQ(intent("find all .tmp files and delete them"), Effect::unknown);
  EXPECT_EQ(intent("env vars that start with DOCKER_"), Effect::unknown);  // "start" does not lead
  EXPECT_EQ(intent("run make with CC=clang"), Effect::unknown);
}

TEST(RequestIntent, ContradictionIsReadAgainstWriteEitherWay) {
  EXPECT_TRUE(contradicts(Effect::read, Effect::write));
  EXPECT_TRUE(contradicts(Effect::write, Effect::read));
  EXPECT_FALSE(contradicts(Effect::read, Effect::read));
  EXPECT_FALSE(contradicts(Effect::unknown, Effect::write));
  EXPECT_FALSE(contradicts(Effect::read, Effect::unknown));
}

// The matcher itself: a read request never gets a command that changes
// state, a request for a change never one that only looks.
TEST(RequestIntent, TheMatcherNeverAnswersAgainstTheIntent) {
  for (const char* request : {"list files changed in the last commit", "show the last commit message",
                              "what changed in the last commit", "show the remote branches"}) {
    SCOPED_TRACE(request);
    if (auto m = match_request(request, Userland::gnu)) {
      EXPECT_NE(command_effect(m->answer.command), Effect::write);
    }
  }
  for (const char* request : {"turn on ntp time sync", "change the author of the last commit to 'A <a@b.c>'"}) {
    SCOPED_TRACE(request);
    if (auto m = match_request(request, Userland::gnu)) {
      EXPECT_NE(command_effect(m->answer.command), Effect::read);
    }
  }
}

}  // namespace
}  // namespace cmdai::rules
