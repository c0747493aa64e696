// search --team on a real server: full text, filters, near spellings,
// ranking by the local blend, and who ran what where.

#include <gtest/gtest.h>

#include "team/server_search.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using test::make_entry;
using test::push_options;
using test::quiet_options;

class TeamSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = history::HistoryStore::open(m_dir / "history.db", quiet_options());
    ASSERT_TRUE(store);
    auto restart = make_entry("systemctl restart billing", "/srv/billing", 1'800'000'000);
    restart.execution_metadata = ExecutionMetadata{0, std::nullopt, std::nullopt, "rules", Micros{0}, Micros{0}};
    restart.tags = {"oncall"};
    ASSERT_TRUE(store->insert(restart));
    auto failed = make_entry("systemctl restart payments", "/srv/payments", 1'799'000'000);
    failed.execution_metadata = ExecutionMetadata{1, std::nullopt, std::nullopt, "ollama", Micros{0}, Micros{0}};
    ASSERT_TRUE(store->insert(failed));
    ASSERT_TRUE(store->insert(make_entry("tar czf backup.tgz /var/lib/billing", "/root", 1'700'000'000)));
    ASSERT_TRUE(store->insert(make_entry("du -sh /var/log", "/var/log", 1'800'000'000)));
    m_team = test::fresh_team();
    ASSERT_TRUE(push(*store, m_team->connection, m_team->key, push_options("alice")));
  }

  std::vector<TeamSearchResult> search(const std::string& text, history::SearchFilters filters = {}) {
    history::SearchQuery query(text, 10, 0.0, std::move(filters));
    query.now = from_unix_seconds(1'800'000'100);
    query.current_directory = "/srv/billing";
    auto results = search_team(m_team->connection, m_team->schema, query);
    if (!results) ADD_FAILURE() << results.error().describe();
    return results ? *results : std::vector<TeamSearchResult>{};
  }

  testing::TempDir m_dir;
  std::optional<TeamServer> m_team;
};

TEST_F(TeamSearch, FindsWordsAndPrefixesAndSaysWhoRanItWhere) {
  auto results = search("restart bill");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].result.entry.command, "systemctl restart billing");
  EXPECT_EQ(results[0].user, "alice");
  EXPECT_EQ(results[0].host, "laptop");
  EXPECT_EQ(results[0].result.entry.working_directory, "/srv/billing");
  EXPECT_NE(results[0].result.matching_context.find("[restart]"), std::string::npos);
  EXPECT_NE(results[0].result.explanation.find("same directory"), std::string::npos);
}

TEST_F(TeamSearch, RanksTheSameDirectoryAndNewerEntriesFirst) {
  auto results = search("systemctl restart");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].result.entry.command, "systemctl restart billing");
  EXPECT_GT(results[0].result.similarity_score, results[1].result.similarity_score);
}

TEST_F(TeamSearch, AppliesTheLocalFilters) {
  history::SearchFilters failed;
  failed.exit = history::ExitFilter::nonzero;
  auto results = search("systemctl", failed);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].result.entry.command, "systemctl restart payments");

  history::SearchFilters below;
  below.cwd = "/srv";
  EXPECT_EQ(search("systemctl", below).size(), 2u);
  below.cwd = "/sr";
  EXPECT_TRUE(search("systemctl", below).empty());

  history::SearchFilters tagged;
  tagged.tag = "oncall";
  EXPECT_EQ(search("systemctl", tagged).size(), 1u);

  history::SearchFilters recent;
  recent.since = from_unix_seconds(1'799'500'000);
  EXPECT_EQ(search("systemctl", recent).size(), 1u);

  history::SearchFilters backend;
  backend.backend = "ollama";
  EXPECT_EQ(search("restart", backend).size(), 1u);
}

TEST_F(TeamSearch, ForgivesTyposFromTheIndexedWords) {
  ASSERT_TRUE(m_team->schema.typo_tolerance);
  auto results = search("sytemctl restart biling");
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results[0].result.entry.command, "systemctl restart billing");
  EXPECT_NE(results[0].result.explanation.find("typo: sytemctl -> systemctl"), std::string::npos);
  EXPECT_NE(results[0].result.explanation.find("typo: biling -> billing"), std::string::npos);
  EXPECT_NE(results[0].result.matching_context.find("[systemctl]"), std::string::npos);
  // The words of pushed entries are indexed once, however often they are pushed.
  EXPECT_EQ(test::server_rows(m_team->connection), 4);
  auto words = m_team->connection.query("SELECT count(*) FROM cmdai_words WHERE word = 'systemctl'");
  ASSERT_TRUE(words);
  EXPECT_EQ(words->integer(0, 0), 1);
}

TEST_F(TeamSearch, OnlyNearSpellingsOfWordsLongEnoughAreCorrected) {
  auto results = search("tarr");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].result.entry.command, "tar czf backup.tgz /var/lib/billing");
  EXPECT_NE(results[0].result.explanation.find("typo: tarr -> tar"), std::string::npos);
  EXPECT_TRUE(search("sysadmin restart").empty());
  EXPECT_TRUE(search("taz").empty());
}

TEST_F(TeamSearch, TheNewestEntriesFirstGiveTheSameCandidatesAsAllAtOnce) {
  for (const std::string text : {"systemctl", "restart", "var", "sytemctl", "tar billing"}) {
    for (const auto& [exit, max_results] :
         {std::pair{history::ExitFilter::any, std::size_t{1}}, std::pair{history::ExitFilter::any, std::size_t{10}},
          std::pair{history::ExitFilter::nonzero, std::size_t{1}}}) {
      history::SearchFilters filters;
      filters.exit = exit;
      history::SearchQuery query(text, max_results, 0.0, filters);
      query.now = from_unix_seconds(1'800'000'100);
      query.candidate_limit = 1;
      auto all = search_team(m_team->connection, m_team->schema, query, 0);
      ASSERT_TRUE(all) << all.error().describe();
      for (std::size_t window : {1, 2, 3, 100}) {
        auto windowed = search_team(m_team->connection, m_team->schema, query, window);
        ASSERT_TRUE(windowed) << windowed.error().describe();
        ASSERT_EQ(windowed->size(), all->size()) << text << " window " << window;
        for (std::size_t i = 0; i < all->size(); ++i)
          EXPECT_EQ((*windowed)[i].result.entry.id, (*all)[i].result.entry.id) << text << " window " << window;
      }
    }
  }
}

TEST_F(TeamSearch, WordsThatMatchNothingFindNothing) {
  EXPECT_TRUE(search("kubernetes").empty());
  EXPECT_TRUE(search("   ").empty());
  EXPECT_TRUE(search("'; DROP TABLE command_history; --").empty());
  EXPECT_EQ(test::server_rows(m_team->connection), 4);
}

}  // namespace
}  // namespace cmdai::team
