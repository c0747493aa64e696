#include "rules/words.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/templates.h"

namespace cmdai::rules {
namespace {

std::vector<std::string> raw_words(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& w : split_words(text)) out.push_back(w.raw);
  return out;
}

TEST(Words, LettersAndMarksOfEveryScriptArePartOfAWord) {
  EXPECT_EQ(raw_words("delete the file Café.txt"), (std::vector<std::string>{"delete", "the", "file", "Café.txt"}));
  EXPECT_EQ(raw_words("count lines in naïve_bayes.py"),
            (std::vector<std::string>{"count", "lines", "in", "naïve_bayes.py"}));
  EXPECT_EQ(raw_words("rename Ünïcode.txt"), (std::vector<std::string>{"rename", "Ünïcode.txt"}));
  EXPECT_EQ(raw_words("open 日本語.md and Łódź"), (std::vector<std::string>{"open", "日本語.md", "and", "Łódź"}));
  // A combining mark (e + U+0301) stays with its letter.
  EXPECT_EQ(raw_words("cat re\xcc\x81sume\xcc\x81.pdf"),
            (std::vector<std::string>{"cat", "re\xcc\x81sume\xcc\x81.pdf"}));
}

TEST(Words, PunctuationSpacesAndBrokenBytesOfOtherScriptsSeparate) {
  // Curly quotes, a no-break space, an em dash, the ideographic full stop.
  EXPECT_EQ(raw_words("show \xe2\x80\x9cnotes\xe2\x80\x9d\xc2\xa0now\xe2\x80\x94ok\xe3\x80\x82"),
            (std::vector<std::string>{"show", "notes", "now", "ok"}));
  EXPECT_EQ(raw_words("ab\xff"
                      "cd"),
            (std::vector<std::string>{"ab", "cd"}));
}

// The answer to a request naming a non-ASCII file either carries the whole
// name or there is no answer; it never falls back to the extension.
TEST(Words, AWordAfterUserOrGroupIsANameNotASlip) {
  const auto words = split_words("take user marek out of the group testers");
  ASSERT_EQ(words.size(), 8u);
  EXPECT_EQ(words[2].canon, "marek");
  EXPECT_TRUE(words[2].named);
  EXPECT_TRUE(words[7].named);
  // A slip of "called" itself is still read as "called".
  const auto caled = split_words("create a group caled auditors");
  EXPECT_EQ(caled[3].canon, "called");
  EXPECT_FALSE(caled[3].named);
  // Elsewhere a slip is read as the word it slips from.
  EXPECT_EQ(split_words("list the direcotry")[2].canon, "directory");
}

TEST(Words, NonAsciiNamesAreNeverCutOrWidened) {
  const struct {
    const char* request;
    const char* name;
  } cases[] = {
      {"delete the file Café.txt", "Café.txt"},
      {"count the lines in naïve_bayes.py", "naïve_bayes.py"},
      {"find files owned by user jürgen", "jürgen"},
      {"rename Ünïcode.txt to plain.txt", "Ünïcode.txt"},
      {"show the first 5 lines of 日本語.md", "日本語.md"},
  };
  for (const auto& c : cases) {
    const auto match = match_request(c.request, Userland::gnu);
    if (!match) continue;
    EXPECT_NE(match->answer.command.find(c.name), std::string::npos) << c.request << " -> " << match->answer.command;
    EXPECT_EQ(match->answer.command.find("*."), std::string::npos) << c.request << " -> " << match->answer.command;
  }
}

}  // namespace
}  // namespace cmdai::rules
