#include "rules/value_check.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "rules/templates.h"
#include "shell/parser.h"

namespace cmdai::rules {
namespace {

using Values = std::vector<std::string>;

TEST(ValueCheck, AValueIsKeptInAnyShellQuoting) {
  EXPECT_EQ(missing_values("delete the file Café.txt", "rm 'Café.txt'"), Values{});
  EXPECT_EQ(missing_values("delete the file Café.txt", "rm \"Café.txt\""), Values{});
  EXPECT_EQ(missing_values("delete \"my file.txt\"", "rm my\\ file.txt"), Values{});
  EXPECT_EQ(missing_values("delete \"it's.txt\"", "rm 'it'\\''s.txt'"), Values{});
  EXPECT_EQ(missing_values("list ~/Downloads", "ls \"$HOME/Downloads\""), Values{});
}

TEST(ValueCheck, ADroppedCutOrWidenedValueIsReported) {
  EXPECT_EQ(missing_values("count the lines in naïve_bayes.py", "wc -l ve_bayes.py"), Values{"naïve_bayes.py"});
  EXPECT_EQ(missing_values("delete the file Café.txt", "find . -iname '*.txt' -delete"), Values{"Café.txt"});
  EXPECT_EQ(missing_values("copy a.txt to ~/backup", "cp a.txt /tmp"), Values{"~/backup"});
  EXPECT_EQ(missing_values("download https://example.com/x.tar.gz", "curl -O https://example.com/"),
            Values{"https://example.com/x.tar.gz"});
}

TEST(ValueCheck, EveryKindOfNamedValueIsChecked) {
  EXPECT_EQ(missing_values("kill process 4242", "kill 14242"), Values{"4242"});
  EXPECT_EQ(missing_values("what is listening on port 8080", "ss -ltnp"), Values{"8080"});
  EXPECT_EQ(missing_values("ping web1.example.com", "ping example.com"), Values{"web1.example.com"});
  EXPECT_EQ(missing_values("force kill every process owned by anna", "pkill -9 owned"), Values{"anna"});
  EXPECT_EQ(missing_values("delete the branch feature-x", "git branch -D"), Values{"feature-x"});
  EXPECT_EQ(missing_values("logs of container web-1", "docker logs web-1"), Values{});
  EXPECT_EQ(missing_values("commits since 2024-01-31", "git log --since=2024-01-01"), Values{"2024-01-31"});
  // A number spelled out is not a value the command must repeat.
  EXPECT_EQ(missing_values("squash the last 4 commits into one", "git rebase -i HEAD~4"), Values{});
}

TEST(ValueCheck, ASecondValueOfAOneValueKindIsCheckedToo) {
  EXPECT_EQ(missing_values("commits between 2024-01-01 and 2024-02-15", "git log --since=2024-01-01"),
            Values{"2024-02-15"});
  EXPECT_EQ(
      missing_values("commits between 2024-01-01 and 2024-02-15", "git log --since=2024-01-01 --until=2024-02-15"),
      Values{});
  EXPECT_EQ(
      missing_values("copy notes.txt from web1.example.com to web2.example.com", "scp notes.txt web1.example.com:"),
      Values{"web2.example.com"});
  EXPECT_EQ(missing_values("what time is it in Asia/Tokyo", "date"), Values{"Asia/Tokyo"});
}

TEST(ValueCheck, ASecondDateRulesOutATemplateThatTakesOne) {
  const auto match = match_request("commits between 2024-01-01 and 2024-02-15", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find("2024-02-15") != std::string::npos) << match->answer.command;
}

TEST(ValueCheck, ARequestThatNamesNothingHasNothingMissing) {
  EXPECT_EQ(missing_values("show disk usage", "df -h"), Values{});
  EXPECT_EQ(missing_values("delete 'unclosed.txt", "rm x"), Values{});
}

// Names drawn from letters and marks of several scripts, digits, spaces,
// dashes (also leading) and apostrophes.
rc::Gen<std::string> file_names() {
  static const std::vector<std::string> k_pieces{"a",  "b", "z", "Q",         "7", "é", "ü", "ß", "Ł",    "ó",   "日",
                                                 "本", "Ω", "ñ", "e\xcc\x81", "-", "_", " ", "'", "data", "Foto"};
  static const std::vector<std::string> k_extensions{"txt", "py", "csv", "md", "log", "pdf"};
  return rc::gen::map(rc::gen::pair(rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(k_pieces)),
                                    rc::gen::elementOf(k_extensions)),
                      [](const std::pair<std::vector<std::string>, std::string>& parts) {
                        std::string stem = "n";
                        for (const auto& piece : parts.first) stem += piece;
                        return stem + "." + parts.second;
                      });
}

// Every word and redirect target of a parsed command, de-quoted.
void collect_words(const shell::Script& script, Values& out) {
  for (const auto& item : script.items) {
    for (const auto& command : item.pipeline.commands) {
      for (const auto& w : command.words) out.push_back(w.text);
      for (const auto& r : command.redirects) out.push_back(r.target.text);
      for (const auto& body : command.body) collect_words(body, out);
    }
  }
}

// The request `shape` with `name` in place of its '%' (quoted when it holds
// a space or a quote, or starts with a dash), answered by the engine: the
// words of the command, de-quoted, or nullopt when it declines.
std::optional<Values> answer_words(const std::string& shape, const std::string& name) {
  const bool quote = name.find_first_of(" '") != std::string::npos || name.starts_with('-');
  const std::string value = quote ? "\"" + name + "\"" : name;
  const std::string request = shape.substr(0, shape.find('%')) + value + shape.substr(shape.find('%') + 1);
  const auto match = match_request(request, Userland::gnu);
  RC_TAG(match ? "answered" : "declined");
  if (!match) return std::nullopt;
  const auto script = shell::parse(match->answer.command);
  RC_ASSERT(script.has_value());
  Values words;
  collect_words(*script, words);
  return words;
}

// Whatever the name, an answer carries it as one whole word of the command
// (after the shell's own de-quoting) and never a glob over its extension;
// declining is always allowed.
// "dayjs" is one letter from "days": a template that takes names by their
// place and has no use for days must not drop it as a slip.
TEST(ValueCheck, AWordReadAsATypoOfAKnownWordIsNotDroppedByATemplateThatTakesNames) {
  const auto match = match_request("npm install lodash and dayjs", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find("dayjs") != std::string::npos) << match->answer.command;
  const auto two = match_request("install htop and tmux", Userland::gnu);
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(two->answer.command, "sudo apt install htop tmux");
}

// A template that takes no names drops one as well when the guessed word
// follows a word of its own, as a package follows "install".
TEST(ValueCheck, AWordReadAsATypoAfterATemplatesVerbIsNotDroppedEither) {
  for (const char* request : {"npm install dayjs", "install dayjs with npm"}) {
    const auto match = match_request(request, Userland::gnu);
    EXPECT_TRUE(!match || match->answer.command.find("dayjs") != std::string::npos) << match->answer.command;
  }
  const auto typed = match_request("npm install dayjs", Userland::gnu);
  ASSERT_TRUE(typed.has_value());
  EXPECT_EQ(typed->answer.command, "npm install dayjs");
  // A typo of a word the request only qualifies with is still a typo.
  const auto detailed = match_request("show detialed cpu info", Userland::gnu);
  ASSERT_TRUE(detailed.has_value());
  EXPECT_EQ(detailed->answer.command, "lscpu");
}

RC_GTEST_PROP(ValueCheckProperty, AnswersKeepGeneratedNamesWhole, ()) {
  static const std::vector<std::string> k_requests{
      "delete the file %", "count the lines in %", "show the first 10 lines of %",
      "make % executable", "copy % to backup",     "show the size of %"};
  const std::string name = *file_names();
  const std::string request_shape = *rc::gen::elementOf(k_requests);
  const auto words = answer_words(request_shape, name);
  if (!words) return;
  // A name that starts with a dash is passed as ./-name, never as an option.
  const bool kept = std::find(words->begin(), words->end(), name) != words->end() ||
                    std::find(words->begin(), words->end(), "./" + name) != words->end();
  RC_ASSERT(kept);
  const std::string widened = "*." + name.substr(name.rfind('.') + 1);
  RC_ASSERT(std::find(words->begin(), words->end(), widened) == words->end());
}

// Names of users, processes, branches, containers, images, packages and
// services: letters and marks of several scripts, digits, dashes (also
// leading), dots, slashes, spaces and apostrophes (those two quoted in the
// request).
rc::Gen<std::string> object_names() {
  static const std::vector<std::string> k_pieces{"a", "k",         "Q", "7", "é", "ü", "ß", "Ł", "日",  "Ω",
                                                 "ñ", "e\xcc\x81", "-", "_", ".", "/", " ", "'", "web", "Jörg"};
  return rc::gen::map(rc::gen::pair(rc::gen::elementOf(std::vector<std::string>{"n", "-", "x", "Ü"}),
                                    rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(k_pieces))),
                      [](const std::pair<std::string, std::vector<std::string>>& parts) {
                        std::string name = parts.first;
                        for (const auto& piece : parts.second) name += piece;
                        return name + "z";
                      });
}

// Whatever the name and whatever it names, an answer carries it whole as
// one word of the command (or a user@host, user:group word that contains
// it as a part), or the engine declines.
RC_GTEST_PROP(ValueCheckProperty, AnswersKeepGeneratedObjectNamesWhole, ()) {
  static const std::vector<std::string> k_requests{"kill the process %",
                                                   "find files owned by user %",
                                                   "switch to branch %",
                                                   "delete the branch %",
                                                   "show the logs of container %",
                                                   "stop the container %",
                                                   "install the package %",
                                                   "restart the service %",
                                                   "pull the image %",
                                                   "show the groups of user %",
                                                   "create a user %",
                                                   "merge branch %",
                                                   "list files in group %",
                                                   "remove the docker image %",
                                                   "uninstall %",
                                                   "show info about package %"};
  const std::string name = *object_names();
  const std::string request_shape = *rc::gen::elementOf(k_requests);
  const auto words = answer_words(request_shape, name);
  if (!words) return;
  const bool kept = std::any_of(words->begin(), words->end(), [&](const std::string& w) {
    if (w == name || w == "./" + name) return true;
    // "anna:staff", "anna@host", "--author=anna": the name as a whole part.
    for (const char separator : {':', '@', '='}) {
      const auto at = w.find(separator);
      if (at != std::string::npos && (w.substr(0, at) == name || w.substr(at + 1) == name)) return true;
    }
    return false;
  });
  RC_ASSERT(kept);
}

}  // namespace
}  // namespace cmdai::rules
