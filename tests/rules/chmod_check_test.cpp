// A chmod answer changes the classes the request names, in the direction
// it asks.
#include "rules/chmod_check.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <utility>

#include "rules/slots.h"
#include "rules/templates.h"

namespace cmdai::rules {
namespace {

bool contradicts(std::string_view request, std::string_view command) {
  return chmod_contradicts(extract_slots(request).words, command);
}

TEST(RulesChmodCheck, TheNamedClassesAreTheModesClasses) {
  EXPECT_TRUE(contradicts("take write permission away from the group on a.txt", "chmod go-w a.txt"));
  EXPECT_FALSE(contradicts("take write permission away from the group on a.txt", "chmod g-w a.txt"));
  EXPECT_TRUE(contradicts("let others read a.txt", "chmod a+r a.txt"));
  EXPECT_FALSE(contradicts("let others read a.txt", "chmod o+r a.txt"));
  EXPECT_FALSE(contradicts("group and others may not write a.txt", "chmod go-w a.txt"));
  // No classes in the mode: every class, as "everyone" asks.
  EXPECT_FALSE(contradicts("make run.sh executable for everyone", "chmod +x run.sh"));
  EXPECT_TRUE(contradicts("make run.sh executable for the owner", "chmod +x run.sh"));
}

TEST(RulesChmodCheck, TheDirectionIsTheRequests) {
  EXPECT_TRUE(contradicts("remove the sticky bit from /srv/x", "chmod +t /srv/x"));
  EXPECT_FALSE(contradicts("remove the sticky bit from /srv/x", "chmod -t /srv/x"));
  EXPECT_TRUE(contradicts("give the group write access to a.txt", "chmod g-w a.txt"));
  EXPECT_FALSE(contradicts("give the group write access to a.txt", "chmod g+w a.txt"));
}

TEST(RulesChmodCheck, NumericModesOtherProgramsAndPlainRequestsPass) {
  EXPECT_FALSE(contradicts("make key.pem readable only by its owner", "chmod 600 key.pem"));
  EXPECT_FALSE(contradicts("change the group of a.txt to staff", "chgrp staff a.txt"));
  EXPECT_FALSE(contradicts("make run.sh executable", "chmod +x run.sh"));
  EXPECT_FALSE(contradicts("make everything in out readable by others, recursively", "chmod -R o+r out"));
  EXPECT_TRUE(contradicts("make everything in out readable by others, recursively", "chmod -R a+r out"));
}

TEST(RulesChmodCheck, TheMatcherNeverAnswersWithAnotherClassOrDirection) {
  for (const char* request : {"remove write permission for the group on plan.odt",
                              "give others read access to site/index.html", "remove the sticky bit from /srv/shared"}) {
    const auto match = match_request(request, Userland::gnu);
    if (!match) continue;
    EXPECT_FALSE(chmod_contradicts(extract_slots(request).words, match->answer.command))
        << request << " -> " << match->answer.command;
  }
  const auto sticky = match_request("remove the sticky bit from /srv/shared", Userland::gnu);
  ASSERT_TRUE(sticky.has_value());
  EXPECT_EQ(sticky->answer.command, "chmod -t /srv/shared");
}

// "remove write permission for the group on f.txt": one class, one
// permission, one direction, each as the request names it.
RC_GTEST_PROP(RulesChmodCheck, OnePermissionForOneClassIsAnsweredForThatClass, ()) {
  const std::pair<std::string, std::string> classes[] = {
      {"the group", "g"}, {"others", "o"}, {"the world", "o"}, {"its group", "g"}};
  const std::pair<std::string, std::string> perms[] = {{"read", "r"}, {"write", "w"}, {"execute", "x"}};
  const auto& cls = classes[*rc::gen::inRange(0, 4)];
  const auto& perm = perms[*rc::gen::inRange(0, 3)];
  const bool add = *rc::gen::arbitrary<bool>();
  const std::string request = add ? "give " + cls.first + " " + perm.first + " permission on f.txt"
                                  : "remove " + perm.first + " permission for " + cls.first + " on f.txt";
  const auto match = match_request(request, Userland::gnu);
  RC_ASSERT(match.has_value());
  RC_ASSERT(match->answer.command == "chmod " + cls.second + (add ? "+" : "-") + perm.second + " f.txt");
}

bool misses(std::string_view request, std::string_view command) {
  return misses_contents(extract_slots(request).words, command);
}

TEST(RulesChmodCheck, EverythingInADirectoryIsARecursiveChange) {
  EXPECT_TRUE(misses("make everything in /opt/tools readable by everyone", "chmod a+r /opt/tools"));
  EXPECT_FALSE(misses("make everything in /opt/tools readable by everyone", "chmod -R a+r /opt/tools"));
  EXPECT_FALSE(misses("make everything in /opt/tools readable by everyone", "chmod --recursive a+r /opt/tools"));
  EXPECT_TRUE(misses("give bob all the files under /srv/app", "sudo chown bob /srv/app"));
  EXPECT_TRUE(misses("change the group of www and its contents to web", "chgrp web www"));
  EXPECT_FALSE(misses("change the group of www and its contents to web", "chgrp -R web www"));
  // The directory alone, or a command that changes no permission.
  EXPECT_FALSE(misses("make /opt/tools readable by everyone", "chmod a+r /opt/tools"));
  EXPECT_FALSE(misses("uppercase everything in slogan.txt", "tr '[:lower:]' '[:upper:]' < slogan.txt"));
  const auto match = match_request("make everything in /opt/tools readable by everyone", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find("-R") != std::string::npos) << match->answer.command;
}

// Any symbolic mode whose classes differ from the named class is refused.
RC_GTEST_PROP(RulesChmodCheck, AModeForOtherClassesIsRefused, ()) {
  const std::string who = *rc::gen::element<std::string>("u", "g", "o", "go", "ug", "uo", "a");
  const std::string op = *rc::gen::element<std::string>("+", "-");
  const std::string perm = *rc::gen::element<std::string>("r", "w", "x");
  const bool group_only = who == "g";
  RC_ASSERT(contradicts("change the mode for the group on f.txt", "chmod " + who + op + perm + " f.txt") ==
            !group_only);
}

}  // namespace
}  // namespace cmdai::rules
