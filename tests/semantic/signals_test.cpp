// The text signals under filters: checking matches against the allowed
// rows (RowSet, when a search has read them) gives exactly the hits, in the
// same order, that joining command_history with the filter's SQL gives -
// for BM25 order and for the newest-first order of common words. A
// vocabulary kept from search to search answers an unfiltered query asked
// again as the index does.
#include <gtest/gtest.h>

#include "semantic/query_terms.h"
#include "semantic/search_filters.h"
#include "semantic/signals.h"
#include "semantic/support.h"

namespace cmdai::semantic {
namespace {

using testing::make_entry;
using testing::StoreFixture;

std::vector<std::int64_t> rowids_of(const Signal& signal) {
  std::vector<std::int64_t> out;
  for (const auto& hit : signal.hits) out.push_back(hit.rowid);
  return out;
}

TEST(SignalsUnderFilters, AllowedRowsGiveTheSameHitsAsTheJoin) {
  StoreFixture f;
  // 6000 entries mentioning "git" (past the BM25 posting budget, so the
  // newest-first order is used), and rarer words; one directory in five.
  for (int i = 0; i < 6000; ++i) {
    const std::string cwd = i % 5 == 0 ? "/srv/app" : "/home/tester/" + std::to_string(i % 7);
    std::string command = "git log -n " + std::to_string(i);
    if (i % 13 == 0) command += " --grep deploy";
    if (i % 17 == 0) command = "docker logs web" + std::to_string(i);
    f.add(make_entry(command, "", cwd));
  }
  history::SearchFilters filters;
  filters.cwd = "/srv";
  FilterClause joined = filter_clause(filters, 3);
  auto allowed = allowed_rowids(f.store.database(), joined);
  ASSERT_TRUE(allowed);
  ASSERT_GT(allowed->size(), 1000u);
  const RowSet rows(*allowed);
  FilterClause checked = joined;
  checked.rows = &rows;
  auto vocabulary = Vocabulary::open(f.store.database());
  ASSERT_TRUE(vocabulary);
  for (const std::vector<std::string>& words : {std::vector<std::string>{"git"}, {"deploy"}, {"docker", "deploy"}}) {
    for (const auto match : {WordMatch::any, WordMatch::all}) {
      auto by_join = word_signal(*vocabulary, words, match, joined, 50);
      auto by_rows = word_signal(*vocabulary, words, match, checked, 50);
      ASSERT_TRUE(by_join && by_rows);
      EXPECT_EQ(rowids_of(*by_rows), rowids_of(*by_join)) << words[0] << " " << words.size();
      for (const auto rowid : rowids_of(*by_rows)) EXPECT_TRUE(rows.contains(rowid));
    }
  }
  auto concepts_join = concept_signal(*vocabulary, {"docker logs", "git log"}, joined, 40);
  auto concepts_rows = concept_signal(*vocabulary, {"docker logs", "git log"}, checked, 40);
  ASSERT_TRUE(concepts_join && concepts_rows);
  EXPECT_EQ(rowids_of(*concepts_rows), rowids_of(*concepts_join));
  EXPECT_FALSE(concepts_rows->hits.empty());
}

TEST(SignalsOnAKeptVocabulary, AQueryAskedAgainGivesWhatTheIndexGives) {
  StoreFixture f;
  for (int i = 0; i < 6000; ++i) {
    std::string command = "git log -n " + std::to_string(i);
    if (i % 13 == 0) command += " --grep deploy";
    if (i % 17 == 0) command = "docker logs web" + std::to_string(i);
    f.add(make_entry(command, "", "/srv/app"));
  }
  auto kept = Vocabulary::open(f.store.database());
  ASSERT_TRUE(kept);
  for (int time = 0; time < 2; ++time) {
    for (const std::vector<std::string>& words :
         {std::vector<std::string>{"git"}, {"deploy"}, {"docker", "deploy"}, {"docker", "grep"}, {"zebra"}}) {
      for (const auto match : {WordMatch::any, WordMatch::all}) {
        auto fresh = Vocabulary::open(f.store.database());
        ASSERT_TRUE(fresh);
        auto expected = word_signal(*fresh, words, match, FilterClause{}, 50);
        auto again = word_signal(*kept, words, match, FilterClause{}, 50);
        ASSERT_TRUE(expected && again);
        EXPECT_EQ(rowids_of(*again), rowids_of(*expected)) << words[0] << " " << words.size() << " time " << time;
        EXPECT_EQ(again->expression, expected->expression);
      }
    }
    auto concepts = concept_signal(*kept, {"docker logs", "git log"}, FilterClause{}, 40);
    ASSERT_TRUE(concepts);
    EXPECT_FALSE(concepts->hits.empty());
  }
}

}  // namespace
}  // namespace cmdai::semantic
