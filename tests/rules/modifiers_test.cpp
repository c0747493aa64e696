#include "rules/modifiers.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rules/slots.h"
#include "rules/templates.h"

namespace cmdai::rules {
namespace {

std::vector<std::string> modifier_names(std::string_view request) {
  const Slots slots = extract_slots(request);
  std::vector<std::string> names;
  for (const auto& use : find_modifiers(slots.words)) names.emplace_back(use.modifier->name);
  return names;
}

using Names = std::vector<std::string>;

TEST(Modifiers, WordsAndPhrasesThatChangeTheRequestAreFound) {
  EXPECT_EQ(modifier_names("follow the system log"), Names{"follow"});
  EXPECT_EQ(modifier_names("number the lines of notes.txt"), Names{"numbered"});
  EXPECT_EQ(modifier_names("stop and disable nginx"), Names{"disable"});
  EXPECT_EQ(modifier_names("copy notes.txt to web1 over ssh"), Names{"over ssh"});
  EXPECT_EQ(modifier_names("commits between v1.0 and v2.0"), Names{"between"});
  EXPECT_EQ(modifier_names("show the log for march"), Names{"month"});
  EXPECT_EQ(modifier_names("show the most recent commit"), Names{"newest"});
  EXPECT_EQ(modifier_names("oldest files first"), Names{"listing order"});
}

TEST(Modifiers, PlainWordsAndValuesAreNotModifiers) {
  EXPECT_EQ(modifier_names("count the number of lines in notes.txt"), Names{"count"});
  EXPECT_EQ(modifier_names("show the last 20 lines of app.log"), Names{});
  EXPECT_EQ(modifier_names("delete 'follow.txt'"), Names{});
}

TEST(Modifiers, ATemplateExplainsAModifierByItsOwnWords) {
  const Slots slots = extract_slots("follow the system log");
  const auto uses = find_modifiers(slots.words);
  ASSERT_EQ(uses.size(), 1U);
  const std::vector<std::string_view> tails{"log", "tail", "stream*"};
  const std::vector<std::string_view> plain{"log", "journal", "show"};
  EXPECT_TRUE(explains(std::vector<std::string_view>{"log", "follow"}, uses[0], slots.words));
  EXPECT_TRUE(explains(tails, uses[0], slots.words));
  EXPECT_FALSE(explains(plain, uses[0], slots.words));
}

TEST(Modifiers, APhraseIsExplainedOnlyByTheWordsThatAnswerIt) {
  const Slots slots = extract_slots("number the lines of notes.txt");
  const auto uses = find_modifiers(slots.words);
  ASSERT_EQ(uses.size(), 1U);
  // "line" is a word of the phrase, but a template about lines need not number them.
  EXPECT_FALSE(explains(std::vector<std::string_view>{"line", "number"}, uses[0], slots.words));
  EXPECT_TRUE(explains(std::vector<std::string_view>{"line", "numbered"}, uses[0], slots.words));
}

TEST(Modifiers, TheEngineDeclinesOrPicksTheVariantThatExplainsTheModifier) {
  const auto follow = match_request("follow the system log", Userland::gnu);
  ASSERT_TRUE(follow.has_value());
  EXPECT_EQ(follow->answer.command, "journalctl -f");
  const auto oldest_first = match_request("oldest files first in this dir", Userland::gnu);
  ASSERT_TRUE(oldest_first.has_value());
  EXPECT_EQ(oldest_first->answer.command, "ls -ltr .");
  EXPECT_FALSE(match_request("show lines that end with a semicolon in style.css", Userland::gnu).has_value());
  const auto disable = match_request("stop and disable the nginx service", Userland::gnu);
  EXPECT_TRUE(!disable || disable->answer.command.find("disable") != std::string::npos);
}

TEST(Modifiers, AUnitTheOutputIsAskedInIsHonoured) {
  EXPECT_EQ(modifier_names("free memory in megabytes"), Names{"megabytes"});
  const auto mb = match_request("free memory in megabytes", Userland::gnu);
  ASSERT_TRUE(mb.has_value());
  EXPECT_EQ(mb->answer.command, "free -m");
  const auto gb = match_request("how much ram is in use, in gigabytes", Userland::gnu);
  EXPECT_TRUE(!gb || gb->answer.command == "free -g") << gb->answer.command;
  const auto plain = match_request("how much memory is free", Userland::gnu);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->answer.command, "free -h");
}

TEST(Modifiers, TailIsNotFollowing) {
  // "tail" in a template means the last lines; following needs -f.
  const auto match = match_request("last 50 lines of /var/log/syslog and keep following it", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find("-f") != std::string::npos) << match->answer.command;
  const auto follow = match_request("follow /var/log/syslog", Userland::gnu);
  ASSERT_TRUE(follow.has_value());
  EXPECT_EQ(follow->answer.command, "tail -f /var/log/syslog");
}

TEST(Modifiers, KernelMessagesAreNotTheWholeJournal) {
  EXPECT_EQ(modifier_names("only kernel error messages from the journal"), (Names{"kernel", "errors"}));
  const auto match = match_request("only kernel error messages from the journal", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find("-k") != std::string::npos ||
              match->answer.command.find("dmesg") != std::string::npos)
      << match->answer.command;
}

TEST(Modifiers, TakingAPermissionAwayIsNeverAnsweredByGrantingIt) {
  EXPECT_EQ(modifier_names("take away read permission for others on notes.txt"), Names{"revoke"});
  const auto match = match_request("take away read permission for others on notes.txt", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find('+') == std::string::npos) << match->answer.command;
}

TEST(Modifiers, ASystemdUnitsLogsAreNotAContainers) {
  for (const char* request : {"follow the logs of the postgresql unit", "show the logs of the cron unit"}) {
    const auto match = match_request(request, Userland::gnu);
    EXPECT_TRUE(!match || match->answer.command.find("docker") == std::string::npos) << match->answer.command;
  }
}

// Requests the engine answers, each with a modifier phrase added that changes
// what is asked: the answer, if any, comes from a template that explains
// every modifier the request names.
RC_GTEST_PROP(ModifierProperty, AnUnexplainedModifierRulesTheTemplateOut, ()) {
  static const std::vector<std::string> k_requests{"show the system log",
                                                   "show disk usage",
                                                   "list running processes",
                                                   "show the last 5 commits",
                                                   "stop the nginx service",
                                                   "copy notes.txt to /tmp",
                                                   "search for TODO in src",
                                                   "show open ports",
                                                   "count the lines in app.log",
                                                   "list docker containers",
                                                   "show the size of ~/Downloads",
                                                   "list files in /var/log",
                                                   "show the git log",
                                                   "restart the docker container web"};
  std::vector<std::string> phrases;
  for (const Modifier& m : modifier_lexicon()) {
    std::string_view rest = m.phrases;
    while (!rest.empty()) {
      const auto end = std::min(rest.find('|'), rest.size());
      if (rest.substr(0, end).find('*') == std::string_view::npos) phrases.emplace_back(rest.substr(0, end));
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  }
  const std::string base = *rc::gen::elementOf(k_requests);
  const std::string phrase = *rc::gen::elementOf(phrases);
  const bool before = *rc::gen::arbitrary<bool>();
  const std::string request = before ? phrase + " " + base : base + " " + phrase;
  const auto match = match_request(request, Userland::gnu);
  RC_TAG(match ? "answered" : "declined");
  if (!match || match->tmpl->row->id == "shell.as_typed") return;
  const Slots slots = extract_slots(request);
  for (const auto& use : find_modifiers(slots.words)) RC_ASSERT(explains(match->tmpl->known, use, slots.words));
}

}  // namespace
}  // namespace cmdai::rules

namespace cmdai::rules {
namespace {

std::string answer_of(std::string_view request) {
  const auto match = match_request(request, Userland::gnu);
  return match ? match->answer.command : "-";
}

// "the word port" names a search; only "whole word" asks for -w, and only a
// template that says "whole" answers it.
TEST(Modifiers, AWholeWordMatchIsExplainedByWholeNotByWord) {
  EXPECT_EQ(modifier_names("grep whole word 'port' in sshd_config"), Names{"whole word"});
  const Slots slots = extract_slots("grep whole word 'port' in sshd_config");
  const auto uses = find_modifiers(slots.words);
  ASSERT_EQ(uses.size(), 1u);
  const std::vector<std::string_view> grep_words{"find", "grep", "word", "text"};
  const std::vector<std::string_view> whole_words{"whole", "word", "grep"};
  EXPECT_FALSE(explains(grep_words, uses.front(), slots.words));
  EXPECT_TRUE(explains(whole_words, uses.front(), slots.words));
  EXPECT_EQ(answer_of("grep whole word 'port' in sshd_config"), "grep -rnw -- 'port' sshd_config");
}

TEST(Modifiers, OnlyTheMatchingPartIsGrepO) {
  const std::string request = "show only the matching part for 'id=[0-9]+' in app.log";
  EXPECT_EQ(modifier_names(request), Names{"matching part"});
  EXPECT_EQ(answer_of(request), "grep -oE -- 'id=[0-9]+' app.log");
  EXPECT_EQ(answer_of("search for 'id=[0-9]+' in app.log").find("-o"), std::string::npos);
}

TEST(Modifiers, TheOrderOfTheLinesIsNotASortOrder) {
  EXPECT_EQ(modifier_names("reverse the order of lines in stack.log"), (Names{"reverse", "line order"}));
  EXPECT_EQ(answer_of("reverse the order of lines in stack.log"), "tac stack.log");
  EXPECT_EQ(answer_of("sort names.txt in reverse order"), "sort -r names.txt");
}

TEST(Modifiers, JustTheHeadersAreNotTheRepository) {
  EXPECT_EQ(modifier_names("fetch just the headers of https://example.org"), Names{"headers"});
  const std::string fetched = answer_of("fetch just the headers of https://example.org");
  EXPECT_TRUE(fetched == "-" || fetched.starts_with("curl -sI")) << fetched;
  EXPECT_EQ(answer_of("show the headers of https://example.org"), "curl -sI https://example.org");
}

TEST(Modifiers, AVariableForOneCommandIsNoExport) {
  const std::string request = "run make with CC set to clang-17 just for that command";
  EXPECT_EQ(modifier_names(request), Names{"one command"});
  EXPECT_EQ(answer_of(request).find("export"), std::string::npos);
  EXPECT_EQ(answer_of("set CC to clang-17"), "export CC='clang-17'");
}

TEST(Modifiers, ACompressionLevelIsAModifier) {
  EXPECT_EQ(modifier_names("zstd backup.img as small as possible"), Names{"max compression"});
  EXPECT_EQ(modifier_names("gzip a.csv with the fastest compression"), Names{"fast compression"});
  // A template at the default level answers neither.
  EXPECT_EQ(answer_of("compress huge.log with xz at maximum compression").find("xz huge.log"), std::string::npos);
}

TEST(Modifiers, AProcesssParentIsAnotherProcess) {
  EXPECT_EQ(modifier_names("kill the parent of 5000"), Names{"parent"});
  EXPECT_NE(answer_of("kill the parent of 5000"), "kill 5000");
  EXPECT_EQ(answer_of("parent pid of 5000"), "ps -o ppid= -p 5000");
}

TEST(Modifiers, StateBootUserScopeAndTimeZoneAreModifiers) {
  EXPECT_EQ(modifier_names("list only the stopped containers"), Names{"only stopped"});
  EXPECT_EQ(modifier_names("errors in the journal since boot"), (Names{"errors", "this boot"}));
  EXPECT_EQ(modifier_names("recent log lines of the user unit mpd"), Names{"user unit"});
  EXPECT_EQ(modifier_names("find pdf files on the entire system"), Names{"whole system"});
  EXPECT_EQ(modifier_names("current time in UTC"), Names{"utc"});
  EXPECT_EQ(modifier_names("live journal of the unit redis"), Names{"follow"});
  EXPECT_EQ(modifier_names("print notes.txt bottom to top"), Names{"reverse"});
}

// Each of these was answered by a template that ignores the modifier (all
// containers, every boot, the system's units, the current directory, local
// time, every connection state, the recent lines, the first lines).
TEST(Modifiers, TemplatesThatIgnoreTheNewModifiersAreRuledOut) {
  EXPECT_EQ(answer_of("only the exited containers please"), "docker ps -a --filter status=exited");
  EXPECT_EQ(answer_of("list the docker containers including stopped ones"), "docker ps -a");
  EXPECT_EQ(answer_of("errors in the journal since boot"), "journalctl -b -p err --no-pager");
  EXPECT_EQ(answer_of("recent log lines of the user unit mpd"), "journalctl --user -u mpd -n 100 --no-pager");
  EXPECT_EQ(answer_of("find pdf files on the entire system"), "find / -type f -iname '*.pdf' 2>/dev/null");
  EXPECT_EQ(answer_of("current time in UTC in iso 8601"), "date -u --iso-8601=seconds");
  EXPECT_EQ(answer_of("list established connections"), "ss -tnp state established");
  EXPECT_EQ(answer_of("live journal of the unit redis"), "journalctl -u redis -f");
  const std::string reversed = answer_of("print notes.txt bottom to top");
  EXPECT_TRUE(reversed == "-" || reversed.starts_with("tac ")) << reversed;
  // Whole-system requests that act on the whole system keep their answers.
  EXPECT_EQ(answer_of("upgrade the whole system"), "sudo apt update && sudo apt upgrade");
}

}  // namespace
}  // namespace cmdai::rules
