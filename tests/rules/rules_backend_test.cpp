#include <gtest/gtest.h>

#include <re2/re2.h>

#include "llm/rules/rules_backend.h"
#include "llm/rules/slots.h"
#include "llm/rules/templates.h"

namespace cmdai::llm {
namespace {

TEST(RulesSlots, ExtractsSizesExtensionsPathsAndDurations) {
  auto s = rules::extract_slots("list all pdf files larger than 10MB in Downloads");
  ASSERT_TRUE(s.size.has_value());
  EXPECT_EQ(s.size->text(), "10M");
  ASSERT_EQ(s.extensions.size(), 1u);
  EXPECT_EQ(s.extensions[0], "pdf");
  ASSERT_EQ(s.paths.size(), 1u);
  EXPECT_EQ(s.paths[0], "~/Downloads");

  auto t = rules::extract_slots("find .log files older than 7 days in /var/log");
  ASSERT_TRUE(t.age.has_value());
  EXPECT_EQ(t.age->amount, 7);
  EXPECT_EQ(t.age->relation, rules::Duration::Relation::older_than);
  ASSERT_EQ(t.paths.size(), 1u);
  EXPECT_EQ(t.paths[0], "/var/log");
  EXPECT_EQ(t.extensions.at(0), "log");

  auto u = rules::extract_slots("files smaller than 1.5 GB modified in the last 2 hours");
  EXPECT_EQ(u.size->text(), "1536M");
  EXPECT_EQ(u.size_comparison, rules::Slots::Comparison::smaller);
  EXPECT_EQ(u.age->unit, 'h');
  EXPECT_EQ(u.age->relation, rules::Duration::Relation::within);
}

TEST(RulesBackend, AnswersThePdfRequestWithACorrectFind) {
  RulesBackend backend;
  CompletionRequest request;
  request.user_request = "list all pdf files larger than 10MB in Downloads";
  auto completion = backend.complete(request, {}, {});
  ASSERT_TRUE(completion.has_value()) << completion.error().message;
  EXPECT_NE(completion->text.find(R"(find ~/Downloads -type f -iname '*.pdf' -size +10M)"), std::string::npos)
      << completion->text;
  EXPECT_GT(completion->confidence.value_or(0), 0.5);
}

TEST(RulesBackend, RefusesWhatItDoesNotKnow) {
  RulesBackend backend;
  CompletionRequest request;
  request.user_request = "write me a poem about the sea";
  auto completion = backend.complete(request, {}, {});
  ASSERT_FALSE(completion.has_value());
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
  EXPECT_NE(completion.error().hint.find("model"), std::string::npos);
}

TEST(RulesBackend, CoversEverydayRequests) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"how much free disk space do I have", "^df -h$"},
      {"show running processes", "^ps aux$"},
      {"which ports are listening", "^ss -tulpn$"},
      {"show git status", "^git status$"},
      {"search for the text \"TODO\" in src", "^grep -rn -- 'TODO' "},
      {"find the 5 largest files in /var", "sort -rn \\| head -n 5$"},
      {"find log files modified in the last 2 hours in /var/log",
       "^find /var/log -type f -iname '\\*.log' -mmin -120$"},
      {"compress the folder ./photos", "^tar -czf 'photos.tar.gz' ./photos$"},
  };
  for (const auto& [request, pattern] : cases) {
    auto match = rules::match_request(request, Userland::gnu);
    ASSERT_TRUE(match.has_value()) << request;
    EXPECT_TRUE(RE2::PartialMatch(match->answer.command, RE2(pattern))) << request << " -> " << match->answer.command;
  }
}

}  // namespace
}  // namespace cmdai::llm
