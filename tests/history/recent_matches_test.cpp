#include "history/recent_matches.h"

#include <gtest/gtest.h>

#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

std::vector<std::string> commands(const Result<std::vector<HistoryRecord>>& records) {
  std::vector<std::string> out;
  for (const auto& record : records.value()) out.push_back(record.entry.command);
  return out;
}

class RecentMatches : public ::testing::Test {
 protected:
  void SetUp() override {
    m_store.emplace(std::move(HistoryStore::open(m_dir / "h.db", quiet_options()).value()));
    // Oldest first: rowids follow the order of the inserts.
    for (const char* command : {"git status", "Docker logs web", "git stash", "git status", "ls -la", "git push"}) {
      ASSERT_TRUE(m_store->insert(make_entry(command, 1'700'000'000, "/srv")).has_value());
    }
    ASSERT_TRUE(m_store->insert(make_entry("git log", 1'700'000'000, "/home/me")).has_value());
  }

  Result<std::vector<HistoryRecord>> find(std::vector<std::string> words, SearchFilters filters = {},
                                          std::size_t max = 20, std::int64_t window = 20'000) {
    return recent_matches(*m_store, {std::move(words), std::move(filters), max, window});
  }

  testing::TempDir m_dir;
  std::optional<HistoryStore> m_store;
};

TEST_F(RecentMatches, NewestFirstOneRowPerCommandEveryWordContained) {
  EXPECT_EQ(commands(find({"git"})), (std::vector<std::string>{"git log", "git push", "git status", "git stash"}));
  EXPECT_EQ(commands(find({"git", "st"})), (std::vector<std::string>{"git status", "git stash"}));
  EXPECT_EQ(commands(find({"st", "git"})), (std::vector<std::string>{"git status", "git stash"}));
  // The newest of the repeated command is the one returned.
  const auto status = find({"status"}).value();
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0].entry.id, m_store->list({0, 20}).value()[3].id);
}

TEST_F(RecentMatches, IgnoresAsciiCaseAndTreatsTextLiterally) {
  EXPECT_EQ(commands(find({"DOCKER", "Web"})), std::vector<std::string>{"Docker logs web"});
  EXPECT_TRUE(find({"%"}).value().empty());
  EXPECT_TRUE(find({"git", "' OR 1=1 --"}).value().empty());
  EXPECT_EQ(m_store->count().value(), 7);
}

TEST_F(RecentMatches, StopsAtMaxCommandsAndReadsOnlyTheWindow) {
  EXPECT_EQ(commands(find({"git"}, {}, 2)), (std::vector<std::string>{"git log", "git push"}));
  // The newest three rowids: git log, git push, ls -la.
  EXPECT_EQ(commands(find({"git"}, {}, 20, 3)), (std::vector<std::string>{"git log", "git push"}));
  EXPECT_TRUE(find({"docker"}, {}, 20, 3).value().empty());
  EXPECT_TRUE(find({"git"}, {}, 0).value().empty());
}

TEST_F(RecentMatches, AppliesTheFilters) {
  SearchFilters here;
  here.cwd = "/home/me";
  EXPECT_EQ(commands(find({"git"}, here)), std::vector<std::string>{"git log"});
  SearchFilters host;
  host.hostname = "elsewhere";
  EXPECT_TRUE(find({"git"}, host).value().empty());
  host.hostname = "testhost";
  EXPECT_EQ(find({"git"}, host).value().size(), 4u);
}

TEST_F(RecentMatches, CommandsHeldInMemoryGiveTheSameAnswers) {
  RecentCommands held;
  SearchFilters here;
  here.cwd = "/home/me";
  const std::vector<std::vector<std::string>> queries{{"git"}, {"git", "st"}, {"DOCKER", "Web"},     {"%"},
                                                      {},      {"zebra"},     {"git", "' OR 1=1 --"}};
  for (const auto& words : queries) {
    for (std::size_t max : {20u, 2u}) {
      for (std::int64_t window : {20'000, 3, 1}) {
        for (const auto& filters : {SearchFilters{}, here}) {
          const RecentMatchQuery query{words, filters, max, window};
          EXPECT_EQ(commands(recent_matches(*m_store, query, held)), commands(recent_matches(*m_store, query)))
              << words.size() << " words, max " << max << ", window " << window;
        }
      }
    }
  }
}

TEST_F(RecentMatches, CommandsHeldInMemoryFollowNewAndDeletedEntries) {
  RecentCommands held;
  const auto find_held = [&](std::vector<std::string> words, std::int64_t window = 20'000) {
    return commands(recent_matches(*m_store, {std::move(words), {}, 20, window}, held));
  };
  EXPECT_EQ(find_held({"git"}), (std::vector<std::string>{"git log", "git push", "git status", "git stash"}));
  ASSERT_TRUE(m_store->insert(make_entry("git rebase -i", 1'700'000'100, "/srv")).has_value());
  EXPECT_EQ(find_held({"git"}),
            (std::vector<std::string>{"git rebase -i", "git log", "git push", "git status", "git stash"}));
  EXPECT_EQ(find_held({"git"}, 2), (std::vector<std::string>{"git rebase -i", "git log"}));
  // The newest entry deleted: its rowid may come back for the next insert.
  const std::string newest = m_store->list({0, 1}).value().front().id;
  ASSERT_TRUE(m_store->remove(newest).has_value());
  EXPECT_EQ(find_held({"rebase"}), std::vector<std::string>{});
  ASSERT_TRUE(m_store->insert(make_entry("git fetch", 1'700'000'200, "/srv")).has_value());
  EXPECT_EQ(find_held({"git"}),
            (std::vector<std::string>{"git fetch", "git log", "git push", "git status", "git stash"}));
  // An older entry deleted by another connection: not listed, the walk goes on past it.
  const std::string log = m_store->list({0, 2}).value()[1].id;
  {
    auto other = HistoryStore::open(m_dir / "h.db", quiet_options()).value();
    ASSERT_TRUE(other.remove(log).has_value());
  }
  EXPECT_EQ(find_held({"git"}), (std::vector<std::string>{"git fetch", "git push", "git status", "git stash"}));
  EXPECT_EQ(find_held({"git"}), commands(find({"git"})));
}

TEST_F(RecentMatches, RankedAnswersAreKeptUntilAnEntryIsAdded) {
  RankedAnswers answers;
  store::Database& db = m_store->database();
  EXPECT_EQ(answers.find(db, "grpe").value(), nullptr);
  answers.remember("grpe", {3, 1});
  answers.remember("docker nginx", {2});
  ASSERT_NE(answers.find(db, "grpe").value(), nullptr);
  EXPECT_EQ(*answers.find(db, "grpe").value(), (std::vector<std::int64_t>{3, 1}));
  EXPECT_EQ(*answers.find(db, "docker nginx").value(), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(answers.find(db, "docker ngin").value(), nullptr);
  // A new entry may answer any query: every answer is forgotten.
  ASSERT_TRUE(m_store->insert(make_entry("grep -r nginx /etc", 1'700'000'100, "/srv")).has_value());
  EXPECT_EQ(answers.find(db, "grpe").value(), nullptr);
  EXPECT_EQ(answers.find(db, "docker nginx").value(), nullptr);
  answers.remember("grpe", {8});
  EXPECT_EQ(*answers.find(db, "grpe").value(), (std::vector<std::int64_t>{8}));
  // So is the newest entry deleted.
  ASSERT_TRUE(m_store->remove(m_store->list({0, 1}).value().front().id).has_value());
  EXPECT_EQ(answers.find(db, "grpe").value(), nullptr);
}

TEST_F(RecentMatches, NoWordsListsTheNewestCommands) {
  EXPECT_EQ(commands(find({}, {}, 3)), (std::vector<std::string>{"git log", "git push", "ls -la"}));
}

TEST_F(RecentMatches, AnyEntryTellsWhetherAFilterAllowsAnything) {
  EXPECT_TRUE(any_entry(*m_store, {}).value());
  SearchFilters here;
  here.cwd = "/home/me";
  EXPECT_TRUE(any_entry(*m_store, here).value());
  here.cwd = "/nowhere";
  EXPECT_FALSE(any_entry(*m_store, here).value());
  SearchFilters failed;
  failed.exit = ExitFilter::nonzero;
  EXPECT_FALSE(any_entry(*m_store, failed).value());
}

}  // namespace
}  // namespace cmdai::history
