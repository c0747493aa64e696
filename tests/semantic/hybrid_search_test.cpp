#include <gtest/gtest.h>

#include <atomic>

#include "history/term_list.h"
#include "semantic/embedding_cache.h"
#include "semantic/hybrid_search.h"
#include "semantic/lazy_embedder.h"
#include "semantic/ngram_embedder.h"
#include "semantic/reindex.h"
#include "semantic/support.h"

namespace cmdai::semantic {
namespace {

using testing::make_entry;
using testing::StoreFixture;

class HybridSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    f.add(make_entry("df -h", "", "/home/tester"));
    f.add(make_entry("git log --oneline", "", "/home/tester/repo"));
    f.add(make_entry("tar -xzf site.tar.gz", "", "/srv"));
    f.add(make_entry("journalctl -u nginx", "", "/var/log"));
    auto risky = make_entry("rm -rf build", "", "/home/tester/repo");
    risky.safety_metadata = SafetyMetadata{RiskLevel::high, {"rm"}, false, 0.2};
    risky.tags = {"cleanup"};
    f.add(risky);
  }
  Result<SearchOutcome> find(const std::string& text, SearchMode mode, Embedder* embedder = nullptr,
                             history::SearchFilters filters = {}) {
    EmbeddingCache cache(f.store.database(), f.env);
    if (embedder != nullptr) {
      auto indexed = reindex(f.store, *embedder, cache, f.env, {}, {}, std::stop_token{});
      if (!indexed) return fail(indexed.error());
    }
    SemanticSearch search(f.store, embedder, &cache);
    CMDAI_TRY(search.load());
    return search.search({text, 10, 0.0, filters}, mode, {f.env.now(), "/home/tester/repo"});
  }
  StoreFixture f;
};

TEST_F(HybridSearch, FindsByMeaningThroughTheLexiconAndSaysSo) {
  auto outcome = find("free space left", SearchMode::hybrid);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
  ASSERT_FALSE(outcome->results.empty());
  EXPECT_EQ(outcome->results[0].entry.command, "df -h");
  EXPECT_NE(outcome->results[0].explanation.find("concept disk_free"), std::string::npos)
      << outcome->results[0].explanation;
  EXPECT_GT(outcome->results[0].similarity_score, 0.0);
  EXPECT_LE(outcome->results[0].similarity_score, 1.0);
}

TEST_F(HybridSearch, SemanticModeWithoutAModelSaysItUsesTheLexiconOnly) {
  auto outcome = find("source control", SearchMode::semantic);
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(outcome->notices.empty());
  EXPECT_NE(outcome->notices[0].find("concept lexicon only"), std::string::npos);
  ASSERT_FALSE(outcome->results.empty());
  EXPECT_EQ(outcome->results[0].entry.command, "git log --oneline");
}

TEST_F(HybridSearch, CorrectsTyposAndExplainsTheCorrection) {
  auto outcome = find("jounalctl ngnix", SearchMode::hybrid);
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(outcome->results.empty());
  EXPECT_EQ(outcome->results[0].entry.command, "journalctl -u nginx");
  EXPECT_NE(outcome->results[0].explanation.find("read 'jounalctl' as 'journalctl'"), std::string::npos)
      << outcome->results[0].explanation;
}

std::vector<std::string> commands_of(const Result<SearchOutcome>& outcome) {
  std::vector<std::string> out;
  for (const auto& result : outcome.value().results) out.push_back(result.entry.command);
  return out;
}

TEST_F(HybridSearch, TermsKeptBetweenSearchesGiveTheSameResultsAndSeeNewEntries) {
  EmbeddingCache cache(f.store.database(), f.env);
  SemanticSearch once(f.store, nullptr, &cache);
  SemanticSearch kept(f.store, nullptr, &cache);
  kept.set_term_memory(TermMemory::while_unchanged);
  const RankingContext context{f.env.now(), "/home/tester/repo"};
  const auto both = [&](const std::string& text) {
    auto expected = once.search({text, 10, 0.0}, SearchMode::hybrid, context);
    auto got = kept.search({text, 10, 0.0}, SearchMode::hybrid, context);
    EXPECT_EQ(commands_of(got), commands_of(expected)) << text;
    return commands_of(got);
  };
  for (const char* text : {"jounalctl ngnix", "free space left", "ngnix", "tar site", "git", "podman"}) both(text);
  EXPECT_TRUE(both("podman").empty());
  // A new entry's words are found at once: the history's newest entry changed.
  f.add(make_entry("podman ps --all", "", "/srv"));
  EXPECT_EQ(both("podman"), std::vector<std::string>{"podman ps --all"});
  EXPECT_EQ(both("podmn"), std::vector<std::string>{"podman ps --all"});
}

TEST_F(HybridSearch, TermsFromTheWholeTermListGiveTheSameResultsAndSeeNewEntries) {
  EmbeddingCache cache(f.store.database(), f.env);
  SemanticSearch once(f.store, nullptr, &cache);
  SemanticSearch listed(f.store, nullptr, &cache);
  listed.set_term_memory(TermMemory::while_unchanged);
  history::TermListReader reader(f.store.database().path());
  ASSERT_TRUE(reader.wait().has_value());
  listed.use_term_list(reader);
  const RankingContext context{f.env.now(), "/home/tester/repo"};
  const auto both = [&](const std::string& text) {
    auto expected = once.search({text, 10, 0.0}, SearchMode::hybrid, context);
    auto got = listed.search({text, 10, 0.0}, SearchMode::hybrid, context);
    EXPECT_EQ(commands_of(got), commands_of(expected)) << text;
    return commands_of(got);
  };
  for (const char* text : {"jounalctl ngnix", "free space left", "ngnix", "tar site", "git", "podman", "gi lo"}) {
    both(text);
  }
  // The list was read before this entry: its words are found all the same.
  f.add(make_entry("podman ps --all", "", "/srv"));
  EXPECT_EQ(both("podman"), std::vector<std::string>{"podman ps --all"});
  EXPECT_EQ(both("podmn"), std::vector<std::string>{"podman ps --all"});
}

TEST_F(HybridSearch, VectorSignalAppearsInTheExplanation) {
  NgramEmbedder embedder;
  auto outcome = find("tar xzf site", SearchMode::hybrid, &embedder);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_TRUE(outcome->used_vectors);
  ASSERT_FALSE(outcome->results.empty());
  EXPECT_EQ(outcome->results[0].entry.command, "tar -xzf site.tar.gz");
  EXPECT_NE(outcome->results[0].explanation.find("meaning (vector"), std::string::npos);
}

TEST_F(HybridSearch, FiltersApplyToEverySignalBeforeRanking) {
  NgramEmbedder embedder;
  history::SearchFilters high;
  high.risk = RiskLevel::high;
  for (auto mode : {SearchMode::lexical, SearchMode::semantic, SearchMode::hybrid}) {
    auto outcome = find("rm build df", mode, &embedder, high);
    ASSERT_TRUE(outcome.has_value());
    for (const auto& r : outcome->results) EXPECT_EQ(r.entry.command, "rm -rf build") << to_string(mode);
  }
  history::SearchFilters in_srv;
  in_srv.cwd = "/srv";
  auto outcome = find("tar site df log", SearchMode::hybrid, &embedder, in_srv);
  ASSERT_TRUE(outcome.has_value());
  ASSERT_EQ(outcome->results.size(), 1u);
  EXPECT_EQ(outcome->results[0].entry.command, "tar -xzf site.tar.gz");
  history::SearchFilters tagged;
  tagged.tag = "cleanup";
  tagged.since = f.env.now() - std::chrono::hours(24 * 365);
  outcome = find("delete", SearchMode::hybrid, nullptr, tagged);
  ASSERT_TRUE(outcome.has_value());
  ASSERT_EQ(outcome->results.size(), 1u);
  EXPECT_EQ(outcome->results[0].entry.command, "rm -rf build");
}

// Past limits().mask_rows allowed rows the filter is not read into a row
// set: the text signals join it, the vector signal is filtered after the
// scan. The answers are the same either way.
TEST_F(HybridSearch, ABroadFilterGivesTheSameAnswersAsANarrowOne) {
  for (int i = 0; i < 40; ++i) f.add(make_entry("ls -la dir" + std::to_string(i), "", "/srv/data"));
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  ASSERT_TRUE(reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{}));
  history::SearchFilters in_srv;
  in_srv.cwd = "/srv";
  std::vector<std::vector<std::string>> answers;
  for (const std::size_t mask_rows : {std::size_t{1'000}, std::size_t{3}}) {
    SemanticSearch search(f.store, &embedder, &cache);
    ASSERT_TRUE(search.load());
    search.limits().mask_rows = mask_rows;
    search.limits().vectors = 5;
    auto outcome = search.search({"tar site ls dir7", 10, 0.0, in_srv}, SearchMode::hybrid, {f.env.now(), "/srv"});
    ASSERT_TRUE(outcome) << outcome.error().describe();
    std::vector<std::string> commands;
    for (const auto& r : outcome->results) {
      EXPECT_EQ(r.entry.working_directory.rfind("/srv", 0), 0u) << r.entry.command;
      commands.push_back(r.entry.command);
    }
    answers.push_back(commands);
  }
  EXPECT_EQ(answers[0], answers[1]);
  EXPECT_FALSE(answers[0].empty());
}

TEST_F(HybridSearch, SameCommandIsShownOnceAndCountsAsFrequent) {
  f.add(make_entry("df -h"));
  f.add(make_entry("df -h"));
  auto outcome = find("disk space", SearchMode::hybrid);
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(outcome->results.empty());
  EXPECT_EQ(outcome->results[0].entry.command, "df -h");
  for (std::size_t i = 1; i < outcome->results.size(); ++i) EXPECT_NE(outcome->results[i].entry.command, "df -h");
  EXPECT_NE(outcome->results[0].explanation.find("used 3 times"), std::string::npos);
}

TEST_F(HybridSearch, RefusesNulBytesAndHandlesEmptyOrJunkQueries) {
  auto nul = find(std::string("df\0x", 4), SearchMode::hybrid);
  ASSERT_FALSE(nul.has_value());
  EXPECT_EQ(nul.error().code, ErrorCode::invalid_argument);
  for (std::string junk : {std::string(""), std::string("\"*)(^"), std::string("\xff\xfe"), std::string(5000, 'a'),
                           std::string("NEAR AND OR NOT")}) {
    auto outcome = find(junk, SearchMode::hybrid);
    EXPECT_TRUE(outcome.has_value()) << junk.substr(0, 20) << ": " << outcome.error().describe();
  }
}

TEST_F(HybridSearch, VectorsFromAnotherModelAreNotCompared) {
  NgramEmbedder old_model(128);
  EmbeddingCache cache(f.store.database(), f.env);
  ASSERT_TRUE(reindex(f.store, old_model, cache, f.env, {}, {}, std::stop_token{}).has_value());
  NgramEmbedder current;
  SemanticSearch search(f.store, &current, &cache);
  ASSERT_TRUE(search.load().has_value());
  auto outcome = search.search({"tar", 10, 0.0, {}}, SearchMode::hybrid, {f.env.now(), ""});
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->used_vectors);
  ASSERT_FALSE(outcome->notices.empty());
  EXPECT_NE(outcome->notices[0].find("another model"), std::string::npos);
}

TEST_F(HybridSearch, ThresholdDropsWeakResults) {
  EmbeddingCache cache(f.store.database(), f.env);
  SemanticSearch search(f.store, nullptr, &cache);
  auto all = search.search({"df tar", 10, 0.0, {}}, SearchMode::hybrid, {f.env.now(), ""});
  auto strict = search.search({"df tar", 10, 0.99, {}}, SearchMode::hybrid, {f.env.now(), ""});
  ASSERT_TRUE(all.has_value());
  ASSERT_TRUE(strict.has_value());
  EXPECT_GT(all->results.size(), strict->results.size());
}

TEST(SearchMode, ParsesTheThreeModes) {
  EXPECT_EQ(*parse_search_mode("lexical"), SearchMode::lexical);
  EXPECT_EQ(*parse_search_mode("semantic"), SearchMode::semantic);
  EXPECT_EQ(*parse_search_mode("hybrid"), SearchMode::hybrid);
  EXPECT_EQ(parse_search_mode("fuzzy").error().code, ErrorCode::invalid_argument);
}

// A query whose vector is cached, or a history without this model's
// vectors, never starts the model's load; a new query does, and the search
// uses what the prefetched model embeds.
TEST_F(HybridSearch, PrefetchesTheModelOnlyForAQueryVectorItWillNeed) {
  NgramEmbedder ngram;
  EmbeddingCache cache(f.store.database(), f.env);
  std::atomic<int> loads = 0;
  const auto lazy = [&] {
    return std::make_unique<LazyEmbedder>(ngram.model_id(), ngram.dimensions(),
                                          [&]() -> Result<std::unique_ptr<Embedder>> {
                                            ++loads;
                                            return std::make_unique<NgramEmbedder>();
                                          });
  };
  {
    auto embedder = lazy();
    SemanticSearch search(f.store, embedder.get(), &cache);
    ASSERT_TRUE(search.prefetch_query_vector("disk space").has_value());
  }
  EXPECT_EQ(loads, 0) << "no entry has a vector yet";
  ASSERT_TRUE(reindex(f.store, ngram, cache, f.env, {}, {}, std::stop_token{}).has_value());
  SemanticSearch direct(f.store, &ngram, &cache);
  ASSERT_TRUE(direct.load().has_value());
  auto expected = direct.search({"disk space", 5, 0.0}, SearchMode::hybrid, {f.env.now(), ""});
  ASSERT_TRUE(expected.has_value());
  {
    auto embedder = lazy();
    SemanticSearch search(f.store, embedder.get(), &cache);
    ASSERT_TRUE(search.prefetch_query_vector(" disk  space").has_value());
    EXPECT_FALSE(embedder->loaded());
  }
  EXPECT_EQ(loads, 0) << "the vector is cached";
  auto embedder = lazy();
  SemanticSearch search(f.store, embedder.get(), &cache);
  ASSERT_TRUE(search.prefetch_query_vector("archive extraction").has_value());
  ASSERT_TRUE(search.load().has_value());
  auto outcome = search.search({"archive extraction", 5, 0.0}, SearchMode::hybrid, {f.env.now(), ""});
  ASSERT_TRUE(outcome.has_value());
  EXPECT_TRUE(outcome->used_vectors);
  EXPECT_EQ(loads, 1);
  auto again = direct.search({"archive extraction", 5, 0.0}, SearchMode::hybrid, {f.env.now(), ""});
  ASSERT_TRUE(again.has_value());
  ASSERT_EQ(outcome->results.size(), again->results.size());
  for (std::size_t i = 0; i < again->results.size(); ++i) {
    EXPECT_EQ(outcome->results[i].entry.id, again->results[i].entry.id);
    EXPECT_EQ(outcome->results[i].similarity_score, again->results[i].similarity_score);
  }
}

}  // namespace
}  // namespace cmdai::semantic
