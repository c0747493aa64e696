#include "rules/value_check.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

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

// Whatever the name, an answer carries it as one whole word of the command
// (after the shell's own de-quoting) and never a glob over its extension;
// declining is always allowed.
RC_GTEST_PROP(ValueCheckProperty, AnswersKeepGeneratedNamesWhole, ()) {
  static const std::vector<std::string> k_requests{
      "delete the file %", "count the lines in %", "show the first 10 lines of %",
      "make % executable", "copy % to backup",     "show the size of %"};
  const std::string name = *file_names();
  const std::string request_shape = *rc::gen::elementOf(k_requests);
  const bool quote = name.find_first_of(" '") != std::string::npos || name.starts_with('-');
  const std::string value = quote ? "\"" + name + "\"" : name;
  const std::string request =
      request_shape.substr(0, request_shape.find('%')) + value + request_shape.substr(request_shape.find('%') + 1);
  const auto match = match_request(request, Userland::gnu);
  RC_TAG(match ? "answered" : "declined");
  if (!match) return;
  const auto script = shell::parse(match->answer.command);
  RC_ASSERT(script.has_value());
  Values words;
  collect_words(*script, words);
  RC_ASSERT(std::find(words.begin(), words.end(), name) != words.end());
  const std::string widened = "*." + name.substr(name.rfind('.') + 1);
  RC_ASSERT(std::find(words.begin(), words.end(), widened) == words.end());
}

}  // namespace
}  // namespace cmdai::rules
