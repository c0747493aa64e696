// The index's terms as other searches read them: kept term counts
// (TermCounts) answer every lookup as the index itself does, whichever
// range was read first, and the typo check gives the same corrections and
// results from them.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "history/full_text.h"
#include "history/search.h"
#include "history/typo.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::described;
using test::make_entry;
using test::quiet_options;

class KeptTerms : public ::testing::Test {
 protected:
  void SetUp() override {
    store.emplace(HistoryStore::open(dir / "h.db", quiet_options()).value());
    for (const char* command : {"git status", "git stash", "grep -rn TODO src", "grep gitignore", "github-cli auth",
                                "gzip big.log", "systemctl restart nginx", "systemctl status nginx"}) {
      ASSERT_TRUE(store->insert(make_entry(command)).has_value());
    }
    ASSERT_TRUE(open_index_terms(store->database()).has_value());
  }

  // What the index answers, read afresh.
  std::vector<std::string> index(std::string_view text, TermMatch match, std::size_t min = 0,
                                 std::size_t max = SIZE_MAX) {
    return described(index_terms(store->database(), text, match, min, max).value());
  }

  testing::TempDir dir;
  std::optional<HistoryStore> store;
};

TEST_F(KeptTerms, AnswerAsTheIndexWhicheverRangeWasReadFirst) {
  struct Lookup {
    std::string text;
    TermMatch match;
    std::size_t min = 0;
    std::size_t max = SIZE_MAX;
  };
  const std::vector<Lookup> lookups{
      {"gr", TermMatch::prefix},  {"g", TermMatch::prefix},        {"gi", TermMatch::prefix, 3, 4},
      {"grep", TermMatch::exact}, {"gre", TermMatch::exact},       {"github", TermMatch::exact, 7},
      {"sys", TermMatch::exact},  {"systemctl", TermMatch::exact}, {"s", TermMatch::prefix, 6, 6},
      {"zz", TermMatch::prefix},  {"zz", TermMatch::exact},        {"", TermMatch::prefix, 5, 6},
  };
  // Forwards, then backwards: each lookup once before and once after the
  // ranges that cover it were read.
  for (bool backwards : {false, true}) {
    TermCounts counts(store->database());
    for (std::size_t i = 0; i < lookups.size(); ++i) {
      const auto& lookup = lookups[backwards ? lookups.size() - 1 - i : i];
      for (int time = 0; time < 2; ++time) {
        EXPECT_EQ(described(counts.find(lookup.text, lookup.match, lookup.min, lookup.max).value()),
                  index(lookup.text, lookup.match, lookup.min, lookup.max))
            << "'" << lookup.text << "' " << (lookup.match == TermMatch::exact ? "exact" : "prefix") << " "
            << lookup.min << ".." << lookup.max << (backwards ? ", backwards" : "") << ", time " << time;
      }
    }
  }
}

TEST_F(KeptTerms, GiveTheSameCorrectionsAndResults) {
  TermCounts counts(store->database());
  for (const char* typo : {"grpe", "gti", "sytsemctl", "systemclt", "statsu", "gzpi", "ngnix"}) {
    const auto from_index = corrections(store->database(), typo).value();
    const auto from_kept = corrections(counts, typo).value();
    std::vector<std::string> fresh, kept;
    for (const auto& fix : from_index) fresh.push_back(fix.term + "=" + std::to_string(fix.documents));
    for (const auto& fix : from_kept) kept.push_back(fix.term + "=" + std::to_string(fix.documents));
    EXPECT_EQ(kept, fresh) << typo;
  }
  EXPECT_EQ(corrections(counts, "systemclt").value().at(0).term, "systemctl");
  for (const char* text : {"grpe", "systemclt status", "gti stash", "git", "grep TODO", "gitignore", "zebra"}) {
    SearchQuery query(text, 10);
    const auto fresh = search_rowids(*store, query).value();
    query.term_counts = &counts;
    EXPECT_EQ(search_rowids(*store, query).value(), fresh) << text;
  }
  SearchQuery typo("grpe", 10);
  typo.term_counts = &counts;
  EXPECT_EQ(search_rowids(*store, typo).value().size(), 2u);  // both grep commands, through the correction
}

}  // namespace
}  // namespace cmdai::history
