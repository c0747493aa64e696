#include "rules/names.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/templates.h"

namespace cmdai::rules {
namespace {

using Names = std::vector<std::string>;

Names names(std::string_view request) { return free_names(extract_slots(request)); }

TEST(FreeNames, WordsNoTemplateMeansAreNames) {
  EXPECT_EQ(names("force kill every process owned by anna"), Names{"anna"});
  EXPECT_EQ(names("find files owned by user jürgen"), Names{"jürgen"});
  EXPECT_EQ(names("rebase feature/search onto main"), (Names{"feature/search", "main"}));
  EXPECT_EQ(names("please find DATABASE_URL in all .py files"), Names{"DATABASE_URL"});
}

// A program one of the library's commands runs names itself as a package
// or program, though the library gives the word a meaning of its own.
TEST(FreeNames, AProgramTheLibraryRunsIsAValueByPosition) {
  for (const char* program : {"ncdu", "xxd", "shellcheck", "tac", "htop"}) {
    Word w;
    w.raw = w.lower = w.canon = program;
    EXPECT_TRUE(is_value_word(w)) << program;
  }
  Word plain;
  plain.raw = plain.lower = plain.canon = "usage";
  EXPECT_FALSE(is_value_word(plain));
  EXPECT_EQ(match_request("pls instal ncdu", Userland::gnu)->answer.command, "sudo apt install ncdu");
  EXPECT_EQ(match_request("pull the image valkey/valkey:8", Userland::gnu)->answer.command,
            "docker pull valkey/valkey:8");
}

TEST(FreeNames, PhrasingTyposAndInflectionsAreNotNames) {
  EXPECT_EQ(names("list open tcp prots"), Names{});  // "ports", two letters swapped
  EXPECT_EQ(names("find .conf files biger than 100k"), Names{});
  EXPECT_EQ(names("unique sorted lines of emails.txt"), Names{});
  EXPECT_EQ(names("change ownership of /usr recursively to jürgen"), Names{"jürgen"});
  EXPECT_EQ(names("kill every process i own"), Names{});
}

Word word(std::string text) {
  auto slots = extract_slots(text);
  return slots.words.front();
}

TEST(FreeNames, AValueWordIsANameOrAProgram) {
  EXPECT_TRUE(is_value_word(word("anna")));
  EXPECT_TRUE(is_value_word(word("docker")));  // "restart docker"
  EXPECT_FALSE(is_value_word(word("latest")));
  EXPECT_FALSE(is_value_word(word("install")));
  EXPECT_FALSE(is_value_word(word("commas")));  // a character, not a text
  EXPECT_FALSE(is_value_word(word("--force")));
}

// Answers that took a word of the request's phrasing as the object, each
// a class the engine now declines.
TEST(FreeNames, AUnitIsNeitherANameNorAPlace) {
  EXPECT_EQ(names("how much ram is in use, in gigabytes"), Names{});
  EXPECT_EQ(names("show memory in mb"), Names{});
  const Slots slots = extract_slots("how much ram is in use, in gigabytes");
  EXPECT_TRUE(slots.paths.empty());
  const auto match = match_request("how much ram is in use, in gigabytes", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find("gigabytes") == std::string::npos) << match->answer.command;
}

TEST(FreeNames, ThePhrasingIsNeverTheObject) {
  for (const char* request : {"force kill every process owned by anna", "kill every process i own",
                              "which files did the nginx package install", "list packages that can be upgarded",
                              "could you run the npm script build", "list all the groups on the system",
                              "replace commas with tabs in export.csv"}) {
    SCOPED_TRACE(request);
    const auto m = match_request(request, Userland::gnu);
    if (!m) continue;
    for (const char* phrasing : {" owned", " own", " install", " upgarded", "run npm", " system", "commas"}) {
      EXPECT_EQ(m->answer.command.find(phrasing), std::string::npos) << m->answer.command;
    }
  }
}

}  // namespace
}  // namespace cmdai::rules
