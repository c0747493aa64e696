#include "rules/decline_hint.h"

#include <gtest/gtest.h>

#include "rules/templates.h"

namespace cmdai::rules {
namespace {

TEST(DeclineHint, AClearVerbWithoutItsObjectAsksForIt) {
  EXPECT_EQ(decline_hint("delete the file").value_or(""), "name the file, e.g. \"delete notes.txt\"");
  EXPECT_NE(decline_hint("please kill the process").value_or("").find("which process?"), std::string::npos);
  EXPECT_NE(decline_hint("switch to the branch").value_or("").find("which branch?"), std::string::npos);
  EXPECT_NE(decline_hint("rename it").value_or("").find("new name"), std::string::npos);
  EXPECT_NE(decline_hint("install the package").value_or("").find("which package?"), std::string::npos);
  EXPECT_NE(decline_hint("restart the service").value_or("").find("which service?"), std::string::npos);
  EXPECT_NE(decline_hint("stop the container").value_or("").find("which container?"), std::string::npos);
  EXPECT_NE(decline_hint("pull the image").value_or("").find("which image?"), std::string::npos);
}

TEST(DeclineHint, ANamedObjectOrAnotherVerbGetsNoHint) {
  EXPECT_FALSE(decline_hint("delete the file Café.txt"));
  EXPECT_FALSE(decline_hint("delete the file \"my notes\""));
  EXPECT_FALSE(decline_hint("kill process 4242"));
  EXPECT_FALSE(decline_hint("kill the firefox process"));
  EXPECT_FALSE(decline_hint("switch to branch feature-x"));
  EXPECT_FALSE(decline_hint("install the package htop"));
  EXPECT_FALSE(decline_hint("stop the container web-1"));
  EXPECT_FALSE(decline_hint("show disk usage"));
}

// The requests a hint is given for get no answer: the engine asks, it
// does not guess.
TEST(DeclineHint, HintedRequestsAreNotAnswered) {
  for (const char* request : {"delete the file", "please kill the process", "switch to the branch",
                              "install the package", "restart the service", "stop the container", "pull the image"}) {
    ASSERT_TRUE(decline_hint(request)) << request;
    const auto match = match_request(request, Userland::gnu);
    EXPECT_FALSE(match) << request << " -> " << match->answer.command;
  }
}

}  // namespace
}  // namespace cmdai::rules
