#include <gtest/gtest.h>

#include <set>

#include "semantic/lexicon.h"
#include "semantic/query_terms.h"

namespace cmdai::semantic {
namespace {

bool expands_to(std::string_view query, std::string_view term) {
  const auto terms = expand_query(query);
  return std::find(terms.begin(), terms.end(), term) != terms.end();
}

TEST(Lexicon, HasSeveralHundredWellFormedConcepts) {
  const auto concepts = concept_lexicon();
  EXPECT_GE(concepts.size(), 300u);
  std::set<std::string_view> names;
  for (const auto& c : concepts) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate concept " << c.name;
    EXPECT_FALSE(c.phrases.empty()) << c.name;
    EXPECT_FALSE(c.terms.empty()) << c.name;
    for (auto phrase : c.phrases) EXPECT_FALSE(normalized_words(phrase).empty()) << c.name;
  }
}

TEST(Lexicon, LinksEverydayWordsToCommands) {
  EXPECT_TRUE(expands_to("free space left", "df"));
  EXPECT_TRUE(expands_to("Source Control", "git"));
  EXPECT_TRUE(expands_to("which ports are listening", "ss"));
  EXPECT_TRUE(expands_to("unpack the archive", "tar"));
  EXPECT_TRUE(expands_to("changes put aside", "git stash")) << "phrase words in any order";
}

TEST(Lexicon, MatchesWholeWordsOnly) {
  EXPECT_FALSE(expands_to("program", "free")) << "'ram' inside 'program' is not RAM";
  EXPECT_TRUE(expands_to("ram", "free"));
  EXPECT_TRUE(expand_query("").empty());
  EXPECT_TRUE(expand_query("\xff\xfe zzzz").empty());
}

TEST(Lexicon, NormalisesWordForms) {
  EXPECT_EQ(normalized_words("Listening PORTS"), (std::vector<std::string>{"listen", "port"}));
  EXPECT_EQ(normalized_words("--max-depth=1"), (std::vector<std::string>{"max", "depth", "1"}));
}

TEST(Lexicon, ReportsWhichPhraseMatched) {
  const auto matches = match_concepts("how much disk space is left");
  ASSERT_FALSE(matches.empty());
  EXPECT_EQ(matches.front().concept_entry->name, "disk_free");
  EXPECT_EQ(matches.front().phrase, "disk space");
}

TEST(QueryTerms, TypoDistanceCountsTranspositionsAsOne) {
  EXPECT_EQ(typo_distance("gerp", "grep"), 1u);
  EXPECT_EQ(typo_distance("dokcer", "docker"), 1u);
  EXPECT_EQ(typo_distance("kubctl", "kubectl"), 1u);
  EXPECT_EQ(typo_distance("abc", "abc"), 0u);
  EXPECT_EQ(typo_distance("", "abc"), 3u);
}

}  // namespace
}  // namespace cmdai::semantic
