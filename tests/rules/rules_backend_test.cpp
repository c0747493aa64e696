#include <gtest/gtest.h>

#include <re2/re2.h>

#include "llm/rules_backend.h"
#include "rules/slots.h"
#include "rules/templates.h"

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

namespace cmdai::llm {
namespace {

TEST(RulesSlots, ReadsDurationsInTheirCommonForms) {
  auto a = rules::extract_slots("files changed since yesterday");
  ASSERT_TRUE(a.age.has_value());
  EXPECT_EQ(a.age->spoken, "yesterday");
  auto b = rules::extract_slots("csv files from the past week");
  ASSERT_TRUE(b.age.has_value());
  EXPECT_EQ(b.age->amount, 7);
  EXPECT_EQ(b.age->relation, rules::Duration::Relation::within);
  auto c = rules::extract_slots("logs not touched in 90 days");
  ASSERT_TRUE(c.age.has_value());
  EXPECT_EQ(c.age->relation, rules::Duration::Relation::older_than);
  auto d = rules::extract_slots("commits from the last 2 weeks");
  EXPECT_EQ(d.age->spoken, "2 weeks");
  EXPECT_EQ(d.age->amount, 14);
}

TEST(RulesSlots, ReadsSizesWithAndWithoutSpaces) {
  EXPECT_EQ(rules::extract_slots("bigger than 500k").size->text(), "500k");
  EXPECT_EQ(rules::extract_slots("over 2 gigs").size->text(), "2G");
  auto s = rules::extract_slots("under 1 kb");
  EXPECT_EQ(s.size->text(), "1k");
  EXPECT_EQ(s.size_comparison, rules::Slots::Comparison::smaller);
}

TEST(RulesSlots, ReadsNamesHostsUrlsPortsAndCounts) {
  auto s = rules::extract_slots("copy report.pdf to admin@nas:/backup on port 2222");
  EXPECT_EQ(s.files, std::vector<std::string>{"report.pdf"});
  EXPECT_EQ(s.remote.value_or(""), "admin@nas:/backup");
  EXPECT_EQ(s.port.value_or(0), 2222);
  auto u = rules::extract_slots("download https://example.com/a.zip");
  EXPECT_EQ(u.url.value_or(""), "https://example.com/a.zip");
  auto h = rules::extract_slots("ping 8.8.8.8 three times");
  EXPECT_EQ(h.host.value_or(""), "8.8.8.8");
  EXPECT_EQ(h.count.value_or(0), 3);
  auto t = rules::extract_slots("top 5 biggest files");
  EXPECT_EQ(t.count.value_or(0), 5);
  auto p = rules::extract_slots("kill 4321");
  EXPECT_EQ(p.numbers, std::vector<long>{4321});
  auto d = rules::extract_slots("what day is 2024-12-25");
  EXPECT_EQ(d.date.value_or(""), "2024-12-25");
  auto q = rules::extract_slots("replace \"http\" with 'https' in links.md");
  EXPECT_EQ(q.quoted, (std::vector<std::string>{"http", "https"}));
  auto v = rules::extract_slots("echo $PATH");
  EXPECT_EQ(v.variable.value_or(""), "PATH");
  auto z = rules::extract_slots("time in Europe/Berlin");
  EXPECT_EQ(z.time_zone.value_or(""), "Europe/Berlin");
}

TEST(RulesSlots, ReadsPathsFromShapeAndFromWords) {
  EXPECT_EQ(rules::extract_slots("size of ~/projects").paths.at(0), "~/projects");
  EXPECT_EQ(rules::extract_slots("files in my home dir").paths.at(0), "~");
  EXPECT_EQ(rules::extract_slots("how big is this folder").paths.at(0), ".");
  EXPECT_EQ(rules::extract_slots("zip the folder docs").paths.at(0), "docs");
  EXPECT_TRUE(rules::extract_slots("find empty directories").paths.empty());
}

TEST(RulesMatching, ToleratesPluralsSynonymsAndCase) {
  for (const char* request : {"SHOW RUNNING PROCESSES", "list all processes", "display every running program"}) {
    auto m = rules::match_request(request, Userland::gnu);
    ASSERT_TRUE(m.has_value()) << request;
    EXPECT_EQ(m->answer.command, "ps aux") << request;
  }
}

TEST(RulesMatching, EveryAnswerHasAnExplanationAndAConfidence) {
  auto m = rules::match_request("delete .tmp files older than 7 days", Userland::gnu);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->answer.command, "find . -type f -iname '*.tmp' -mtime +7 -delete");
  EXPECT_NE(m->answer.explanation.find("more than 7 days ago"), std::string::npos) << m->answer.explanation;
  EXPECT_GE(m->confidence, rules::k_default_threshold);
  EXPECT_LE(m->confidence, 1.0);
}

TEST(RulesMatching, BsdUserlandGetsBsdCommands) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"which ports are listening", "lsof -nP -iTCP -sTCP:LISTEN"},
      {"how much memory is free", "vm_stat"},
      {"convert epoch 1700000000 to a date", "date -r 1700000000"},
      {"replace foo with bar in config.txt", "sed -i '' 's/foo/bar/g' config.txt"},
      {"show partitions", "diskutil list"},
      {"reverse the lines of file.txt", "tail -r file.txt"},
      {"files changed today", "find . -type f -mtime -1"},
  };
  for (const auto& [request, command] : cases) {
    auto m = rules::match_request(request, Userland::bsd);
    ASSERT_TRUE(m.has_value()) << request;
    EXPECT_EQ(m->answer.command, command) << request;
  }
  EXPECT_EQ(rules::match_request("files changed today", Userland::gnu)->answer.command,
            "find . -type f -daystart -mtime 0");
}

TEST(RulesMatching, BadInputIsRefusedNotCrashedOn) {
  EXPECT_FALSE(rules::match_request("", Userland::gnu).has_value());
  EXPECT_FALSE(rules::match_request(std::string(5000, 'a'), Userland::gnu).has_value());
  EXPECT_FALSE(rules::match_request("show \xff\xfe running \xc3 processes \"open", Userland::gnu).has_value());
  const std::string with_nul("show running\0 processes", 23);
  auto m = rules::match_request(with_nul, Userland::gnu);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->answer.command.find('\0'), std::string::npos);
  // Invalid UTF-8 separates words; it never reaches the command.
  auto u = rules::match_request("find files named \"caf\xc3\" in /tmp", Userland::gnu);
  if (u) {
    EXPECT_NE(u->answer.command.find("-name"), std::string::npos);
  }
}

TEST(RulesBackend, ReturnsJsonWithCommandExplanationAndConfidence) {
  RulesBackend backend;
  CompletionRequest request;
  request.user_request = "show git status";
  auto completion = backend.complete(request, {}, {});
  ASSERT_TRUE(completion.has_value());
  EXPECT_NE(completion->text.find("\"command\":\"git status\""), std::string::npos) << completion->text;
  EXPECT_NE(completion->text.find("\"explanation\""), std::string::npos);
  ASSERT_TRUE(completion->confidence.has_value());
  EXPECT_GE(*completion->confidence, rules::k_default_threshold);
}

TEST(RulesBackend, HonoursCancellation) {
  RulesBackend backend;
  CompletionRequest request;
  request.user_request = "show git status";
  std::stop_source stop;
  stop.request_stop();
  auto completion = backend.complete(request, {}, stop.get_token());
  ASSERT_FALSE(completion.has_value());
  EXPECT_EQ(completion.error().code, ErrorCode::cancelled);
}

TEST(RulesSlots, AQuotedFileNameIsAFileInRequestOrder) {
  const auto slots = rules::extract_slots("could you rename 'old name.txt' to new_name.txt");
  ASSERT_EQ(slots.files.size(), 2u);
  EXPECT_EQ(slots.files[0], "old name.txt");
  EXPECT_EQ(slots.files[1], "new_name.txt");
  EXPECT_TRUE(slots.quoted.empty());
  // Text to look for stays text.
  const auto search = rules::extract_slots("grep for 'config.yaml' in notes.txt");
  ASSERT_EQ(search.quoted.size(), 1u);
  EXPECT_EQ(search.quoted[0], "config.yaml");
}

TEST(RulesSlots, ALeadingNumberIsACount) {
  const auto slots = rules::extract_slots("5 processes using the most memory");
  ASSERT_TRUE(slots.count.has_value());
  EXPECT_EQ(*slots.count, 5);
  const auto m = rules::match_request("5 processes using the most memory", Userland::gnu);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->answer.command, "ps aux --sort=-%mem | head -n 6");
}

}  // namespace
}  // namespace cmdai::llm
