// The index's whole term list, read on a thread of its own: it holds what
// the index holds, and kept term counts answer from it exactly as from the
// index - and only while it was read at the index's present state.

#include "history/term_list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "history/full_text.h"
#include "history/rows.h"
#include "history/typo.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::described;
using test::make_entry;
using test::quiet_options;

struct Lookup {
  std::string text;
  TermMatch match;
  std::size_t min = 0;
  std::size_t max = SIZE_MAX;
};

const std::vector<Lookup>& lookups() {
  static const std::vector<Lookup> all{
      {"gr", TermMatch::prefix},  {"g", TermMatch::prefix},        {"gi", TermMatch::prefix, 3, 4},
      {"grep", TermMatch::exact}, {"gre", TermMatch::exact},       {"github", TermMatch::exact, 7},
      {"sys", TermMatch::exact},  {"systemctl", TermMatch::exact}, {"s", TermMatch::prefix, 6, 6},
      {"zz", TermMatch::prefix},  {"zz", TermMatch::exact},        {"", TermMatch::prefix, 5, 6},
      {"1002", TermMatch::exact}, {"10", TermMatch::prefix},
  };
  return all;
}

class TermListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store.emplace(HistoryStore::open(path(), quiet_options()).value());
    for (const char* command :
         {"git status", "git stash", "grep -rn TODO src", "grep gitignore", "github-cli auth", "gzip big.log",
          "systemctl restart nginx", "systemctl status nginx", "kill -9 1002", "seq 10 1002"}) {
      ASSERT_TRUE(store->insert(make_entry(command)).has_value());
    }
    ASSERT_TRUE(open_index_terms(store->database()).has_value());
  }

  std::filesystem::path path() const { return dir / "h.db"; }
  std::int64_t newest() { return newest_rowid(store->database()).value(); }
  std::vector<std::string> index(const Lookup& lookup) {
    return described(index_terms(store->database(), lookup.text, lookup.match, lookup.min, lookup.max).value());
  }

  testing::TempDir dir;
  std::optional<HistoryStore> store;
};

TEST_F(TermListTest, HoldsEveryTermOfTheIndexWithItsCountInTermOrder) {
  TermListReader reader(path());
  auto list = reader.wait();
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_NE(*list, nullptr);
  EXPECT_EQ(reader.list(), *list);
  EXPECT_EQ((*list)->newest_rowid, newest());
  EXPECT_EQ(described((*list)->terms), index({"", TermMatch::prefix}));
  const auto terms = described((*list)->terms);
  for (const char* term : {"1002=2", "git=2", "gitignore=1", "systemctl=2"}) {
    EXPECT_NE(std::find(terms.begin(), terms.end(), term), terms.end()) << term;
  }
}

TEST_F(TermListTest, CountsAnswerFromItAsTheIndexWithoutReadingTheIndex) {
  TermListReader reader(path());
  ASSERT_TRUE(reader.wait().has_value());
  std::vector<std::vector<std::string>> expected;
  for (const auto& lookup : lookups()) expected.push_back(index(lookup));
  TermCounts counts(store->database());
  counts.use_list(reader, newest());
  // Without the vocabulary table every read of the index fails: the answers
  // below come from the list.
  ASSERT_TRUE(store->database().exec("DROP TABLE temp.cmdai_history_vocab").has_value());
  for (std::size_t i = 0; i < lookups().size(); ++i) {
    const auto& lookup = lookups()[i];
    auto found = counts.find(lookup.text, lookup.match, lookup.min, lookup.max);
    ASSERT_TRUE(found.has_value()) << lookup.text << ": " << found.error().message;
    EXPECT_EQ(described(*found), expected[i]) << "'" << lookup.text << "' " << lookup.min << ".." << lookup.max;
  }
  EXPECT_EQ(corrections(counts, "systemclt").value().at(0).term, "systemctl");
  EXPECT_EQ(corrections(counts, "grpe").value().at(0).term, "grep");
}

TEST_F(TermListTest, ReadBeforeANewEntryIsNotUsed) {
  TermListReader reader(path());
  ASSERT_TRUE(reader.wait().has_value());
  ASSERT_TRUE(store->insert(make_entry("podman ps --all")).has_value());
  ASSERT_TRUE(store->insert(make_entry("grep podman notes")).has_value());
  TermCounts counts(store->database());
  counts.use_list(reader, newest());
  for (const Lookup& lookup : {Lookup{"podman", TermMatch::exact}, Lookup{"gr", TermMatch::prefix},
                               Lookup{"po", TermMatch::prefix}, Lookup{"notes", TermMatch::exact}}) {
    EXPECT_EQ(described(counts.find(lookup.text, lookup.match).value()), index(lookup)) << lookup.text;
  }
  EXPECT_EQ(described(counts.find("podman", TermMatch::exact).value()), std::vector<std::string>{"podman=2"});
}

TEST_F(TermListTest, CountsGiveIndexAnswersWhileTheListIsBeingRead) {
  // Whether the list is there yet or not, each answer is the index's.
  for (int round = 0; round < 5; ++round) {
    TermListReader reader(path());
    TermCounts counts(store->database());
    counts.use_list(reader, newest());
    for (const auto& lookup : lookups()) {
      EXPECT_EQ(described(counts.find(lookup.text, lookup.match, lookup.min, lookup.max).value()), index(lookup))
          << "'" << lookup.text << "', round " << round;
    }
  }
}

TEST_F(TermListTest, StopsWhenDestroyedAndFailsOnAMissingDatabase) {
  for (int round = 0; round < 5; ++round) TermListReader reader(path());  // destroyed at once: stopped, joined
  TermListReader missing(dir / "absent" / "h.db");
  auto outcome = missing.wait();
  EXPECT_FALSE(outcome.has_value());
  EXPECT_EQ(missing.list(), nullptr);
}

TEST_F(TermListTest, ReadingStopsWhenAsked) {
  std::stop_source stop;
  stop.request_stop();
  auto list = read_term_list(store->database(), stop.get_token());
  ASSERT_FALSE(list.has_value());
  EXPECT_EQ(list.error().code, ErrorCode::cancelled);
  // The snapshot it took is let go: a write still goes through.
  ASSERT_TRUE(store->insert(make_entry("echo after")).has_value());
  EXPECT_EQ(read_term_list(store->database()).value().newest_rowid, newest());
}

}  // namespace
}  // namespace cmdai::history
