#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "history/search.h"
#include "history/typo.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

constexpr long long k_now = 1'800'000'000;

SearchQuery query(const std::string& text, SearchFilters filters = {}, std::size_t limit = 10) {
  SearchQuery q;
  q.text = text;
  q.max_results = limit;
  q.filters = std::move(filters);
  q.now = from_unix_seconds(k_now);
  return q;
}

std::vector<std::string> commands(const Result<std::vector<SearchResult>>& results) {
  std::vector<std::string> out;
  for (const auto& r : results.value()) out.push_back(r.entry.command);
  return out;
}

TEST(HistorySearch, FindsByPrefixAndKeepsQuotesInert) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db");
  ASSERT_TRUE(store->insert(make_entry("systemctl reload nginx", 1000)).has_value());
  ASSERT_TRUE(store->insert(make_entry("tar -czf a.tar.gz dir", 1001)).has_value());
  auto found = search(*store, {"syst", 10, 0});
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].entry.command, "systemctl reload nginx");
  EXPECT_NE((*found)[0].matching_context.find("[systemctl]"), std::string::npos) << (*found)[0].matching_context;
  EXPECT_NE((*found)[0].explanation.find("BM25"), std::string::npos);
  auto odd = search(*store, {"\" OR 1=1; DROP TABLE command_history; --", 10, 0});
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(store->count().value(), 2);
}

TEST(HistorySearch, ForgivesTypos) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  ASSERT_TRUE(store->insert(make_entry("systemctl reload nginx")).has_value());
  ASSERT_TRUE(store->insert(make_entry("journalctl -u nginx")).has_value());
  auto found = search(*store, query("systemclt reload"));
  ASSERT_EQ(commands(found), std::vector<std::string>{"systemctl reload nginx"});
  EXPECT_NE(found->front().explanation.find("typo: systemclt -> systemctl"), std::string::npos)
      << found->front().explanation;
  EXPECT_EQ(commands(search(*store, query("jounralctl"))), std::vector<std::string>{"journalctl -u nginx"});
  EXPECT_TRUE(search(*store, query("zzzzzzzz")).value().empty());
}

TEST(HistorySearch, CorrectsATypoWhileTheOtherWordsMatch) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  ASSERT_TRUE(store->insert(make_entry("systemctl reload nginx", k_now - 5000)).has_value());
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(store->insert(make_entry("nginx -s reload --config " + std::to_string(i), k_now - i)).has_value());
    ASSERT_TRUE(store->insert(make_entry("systemctl status unit" + std::to_string(i), k_now - i)).has_value());
  }
  // "reload" is everywhere and "systemclt" nowhere.
  auto found = search(*store, query("systemclt reload"));
  ASSERT_EQ(commands(found), std::vector<std::string>{"systemctl reload nginx"});
  EXPECT_NE(found->front().explanation.find("typo: systemclt -> systemctl"), std::string::npos)
      << found->front().explanation;
  // Once the typo itself is stored (it failed: command not found), both
  // words match that one entry; the correction still finds the real one.
  ASSERT_TRUE(store->insert(make_entry("systemclt reload nginx", k_now - 100)).has_value());
  found = search(*store, query("systemclt reload"));
  const auto both = commands(found);
  EXPECT_NE(std::find(both.begin(), both.end(), "systemctl reload nginx"), both.end());
  EXPECT_NE(std::find(both.begin(), both.end(), "systemclt reload nginx"), both.end());
}

TEST(HistorySearch, TypoDistanceCountsSwapsAsOne) {
  EXPECT_EQ(typo_distance("systemclt", "systemctl"), 1u);
  EXPECT_EQ(typo_distance("kubectl", "kubctl"), 1u);
  EXPECT_EQ(typo_distance("abc", "abc"), 0u);
  EXPECT_EQ(typo_distance("", "abc"), 3u);
  EXPECT_EQ(allowed_typos(3), 0u);
}

TEST(HistorySearch, FiltersApplyBeforeTheLimit) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  // Twenty better-ranked matches in /srv, then the one we want in /home.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store->insert(make_entry("docker ps docker ps " + std::to_string(i), k_now - 10, "/srv")).has_value());
  }
  ASSERT_TRUE(store->insert(make_entry("docker logs web", k_now - 100000, "/home/me/app")).has_value());
  SearchFilters filters;
  filters.cwd = "/home/me";
  EXPECT_EQ(commands(search(*store, query("docker", filters, 5))), std::vector<std::string>{"docker logs web"});
}

// The picker's "this host" and "this session" modes: rows stamped by
// another host or shell session are left out of searches and lists.
TEST(HistorySearch, FiltersByHostAndSession) {
  testing::TempDir dir;
  auto options = quiet_options();
  options.hostname = "laptop";
  options.session_id = "s1";
  {
    auto here = HistoryStore::open(dir / "h.db", options);
    ASSERT_TRUE(here->insert(make_entry("make test here", k_now - 10)).has_value());
  }
  options.hostname = "server";
  options.session_id = "s2";
  auto store = HistoryStore::open(dir / "h.db", options);
  ASSERT_TRUE(store->insert(make_entry("make test there", k_now - 20)).has_value());
  SearchFilters host;
  host.hostname = "laptop";
  EXPECT_EQ(commands(search(*store, query("make", host))), std::vector<std::string>{"make test here"});
  SearchFilters session;
  session.session_id = "s2";
  EXPECT_EQ(commands(search(*store, query("make", session))), std::vector<std::string>{"make test there"});
  auto listed = store->list_records({0, 10}, session);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].entry.command, "make test there");
}

// --since bounds the text walk by the first rowid recorded on each day; an
// entry stored before older ones (imports keep their timestamps) must still
// be found, and deleting rows must not hide the others.
TEST(HistorySearch, SinceFindsEntriesWhateverOrderTheyWereStoredIn) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  const auto first = make_entry("rsync stored first", k_now - 3600);
  ASSERT_TRUE(store->insert(first).has_value());
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(store->insert(make_entry("rsync imported " + std::to_string(i), k_now - 400 * 86400 + i)).has_value());
  }
  const auto last = make_entry("rsync stored last", k_now - 60);
  ASSERT_TRUE(store->insert(last).has_value());
  const Timestamp now = from_unix_seconds(k_now);
  auto since = [&](const char* when) {
    FilterArgs args;
    args.since = when;
    auto found = commands(search(*store, query("rsync", parse_filters(args, now).value(), 50)));
    std::sort(found.begin(), found.end());
    return found;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(since("7d"), (V{"rsync stored first", "rsync stored last"}));
  EXPECT_EQ(since("500d").size(), 32u);
  ASSERT_TRUE(store->remove(first.id).has_value());
  EXPECT_EQ(since("7d"), V{"rsync stored last"});
  ASSERT_TRUE(store->remove(last.id).has_value());
  EXPECT_TRUE(since("7d").empty());
  EXPECT_TRUE(since("2031-01-01").empty()) << "no day that late: nothing, and no error";
}

TEST(HistorySearch, EveryFilterNarrows) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto ok = make_entry("make test", k_now - 3600, "/work/a");
  ok.shell_type = ShellType::zsh;
  ok.execution_metadata = ExecutionMetadata{0, {}, {}, "ollama", {}, {}};
  ok.safety_metadata = SafetyMetadata{RiskLevel::safe, {}, false, 1.0};
  ok.tags = {"ci"};
  auto failed = make_entry("make deploy", k_now - 10 * 86400, "/work/b");
  failed.execution_metadata = ExecutionMetadata{2, {}, {}, "rules", {}, {}};
  failed.safety_metadata = SafetyMetadata{RiskLevel::high, {"x"}, true, 0.3};
  ASSERT_TRUE(store->insert(ok).has_value());
  ASSERT_TRUE(store->insert(failed).has_value());
  ASSERT_TRUE(store->set_favorite(failed.id, Favorite::yes).has_value());
  const Timestamp now = from_unix_seconds(k_now);
  auto only = [&](auto set) {
    FilterArgs args;
    set(args);
    return commands(search(*store, query("make", parse_filters(args, now).value())));
  };
  auto parses = [&](auto set) {
    FilterArgs args;
    set(args);
    return parse_filters(args, now).has_value();
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(only([](FilterArgs& a) { a.since = "1d"; }), V{"make test"});
  EXPECT_EQ(only([](FilterArgs& a) { a.before = "2d"; }), V{"make deploy"});
  EXPECT_EQ(only([](FilterArgs& a) {
              a.since = "2020-01-01";
              a.before = "2030-01-01";
            }).size(),
            2u);
  EXPECT_EQ(only([](FilterArgs& a) { a.cwd = "/work/a/"; }), V{"make test"});
  EXPECT_EQ(only([](FilterArgs& a) { a.cwd = "/work"; }).size(), 2u);
  EXPECT_TRUE(only([](FilterArgs& a) { a.cwd = "/wor"; }).empty()) << "a prefix of a name is not a parent directory";
  EXPECT_EQ(only([](FilterArgs& a) { a.shell = "zsh"; }), V{"make test"});
  EXPECT_EQ(only([](FilterArgs& a) { a.exit = "ok"; }), V{"make test"});
  EXPECT_EQ(only([](FilterArgs& a) { a.exit = "nonzero"; }), V{"make deploy"});
  EXPECT_EQ(only([](FilterArgs& a) { a.exit = "2"; }), V{"make deploy"});
  EXPECT_EQ(only([](FilterArgs& a) { a.risk = "high"; }), V{"make deploy"});
  EXPECT_EQ(only([](FilterArgs& a) { a.backend = "ollama"; }), V{"make test"});
  EXPECT_EQ(only([](FilterArgs& a) { a.tag = "ci"; }), V{"make test"});
  EXPECT_EQ(only([](FilterArgs& a) { a.favorites = true; }), V{"make deploy"});
  EXPECT_FALSE(parses([](FilterArgs& a) { a.since = "yesterday"; }));
  EXPECT_FALSE(parses([](FilterArgs& a) { a.exit = "maybe"; }));
  EXPECT_FALSE(parses([](FilterArgs& a) { a.risk = "spicy"; }));
}

// How SQLite answers the rowids a filter allows (what hybrid search reads
// into its row set).
std::string plan_of(HistoryStore& store, const SearchFilters& filters) {
  const SqlFilter filter = to_sql(filters, "h", 1);
  auto statement =
      store.database().prepare("EXPLAIN QUERY PLAN SELECT h.rowid FROM command_history h WHERE 1" + filter.where);
  std::string plan;
  while (statement.value().step().value()) plan += statement.value().column_text(3) + "\n";
  return plan;
}

TEST(HistorySearch, ExitFiltersReadTheIndexOfFailedEntries) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  for (const std::optional<int> code : {std::optional<int>(0), std::optional<int>(1), std::optional<int>(2),
                                        std::optional<int>(127), std::optional<int>()}) {
    auto entry = make_entry("make step" + (code ? std::to_string(*code) : std::string("unknown")), k_now - 60);
    if (code) entry.execution_metadata = ExecutionMetadata{*code, {}, {}, "shell", {}, {}};
    ASSERT_TRUE(store->insert(entry).has_value());
  }
  const Timestamp now = from_unix_seconds(k_now);
  auto found = [&](const std::string& exit) {
    FilterArgs args;
    args.exit = exit;
    auto out = commands(search(*store, query("make", parse_filters(args, now).value())));
    std::sort(out.begin(), out.end());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(found("nonzero"), (V{"make step1", "make step127", "make step2"}));
  EXPECT_EQ(found("127"), V{"make step127"});
  EXPECT_EQ(found("0"), V{"make step0"});
  EXPECT_EQ(found("ok"), V{"make step0"});
  EXPECT_TRUE(found("3").empty());

  SearchFilters failed;
  failed.exit = ExitFilter::nonzero;
  EXPECT_NE(plan_of(*store, failed).find("command_history_failed"), std::string::npos) << plan_of(*store, failed);
  SearchFilters one_code;
  one_code.exit = ExitFilter::code;
  one_code.exit_code = 2;
  EXPECT_NE(plan_of(*store, one_code).find("command_history_failed"), std::string::npos) << plan_of(*store, one_code);
}

TEST(HistorySearch, RankingPrefersSameDirectoryRecentAndReplayed) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto here = make_entry("cargo build --release", k_now - 30 * 86400, "/src/app");
  auto elsewhere = make_entry("cargo build --release", k_now - 30 * 86400, "/other");
  ASSERT_TRUE(store->insert(elsewhere).has_value());
  ASSERT_TRUE(store->insert(here).has_value());
  auto q = query("cargo build");
  q.current_directory = "/src/app";
  auto found = search(*store, q).value();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].entry.working_directory, "/src/app");
  EXPECT_NE(found[0].explanation.find("same directory"), std::string::npos);
  EXPECT_GT(found[0].similarity_score, found[1].similarity_score);

  auto recent = make_entry("cargo build --release", k_now - 3600, "/other");
  ASSERT_TRUE(store->insert(recent).has_value());
  q.current_directory.clear();
  EXPECT_EQ(search(*store, q).value().front().entry.id, recent.id);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(store->record_use(elsewhere.id).has_value());
  // Both 30 days old and elsewhere now: the replayed one ranks first.
  auto used = search(*store, q).value();
  ASSERT_EQ(used.size(), 3u);
  EXPECT_EQ(used[1].entry.id, elsewhere.id);
  EXPECT_EQ(used[2].entry.id, here.id);
  EXPECT_NE(used[1].explanation.find("replayed 10x"), std::string::npos) << used[1].explanation;
}

TEST(HistorySearch, ThresholdAndEmptyQueries) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  ASSERT_TRUE(store->insert(make_entry("ls -la")).has_value());
  EXPECT_TRUE(search(*store, query("   ")).value().empty());
  auto q = query("ls");
  q.similarity_threshold = 0.999;
  EXPECT_TRUE(search(*store, q).value().empty());
}

}  // namespace
}  // namespace cmdai::history
