#include <gtest/gtest.h>

#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

constexpr long long k_day = 86400;
constexpr long long k_now = 1'800'000'000;

HistoryOptions with_policy(RetentionPolicy policy) {
  auto options = quiet_options();
  options.retention = policy;
  options.clock = [] { return from_unix_seconds(k_now); };
  return options;
}

TEST(Retention, RemovesOldEntriesButKeepsFavoritesAndFrequentOnes) {
  testing::TempDir dir;
  RetentionPolicy policy;
  policy.max_entries.reset();
  policy.max_age_days = 30;
  auto store = HistoryStore::open(dir / "h.db", with_policy(policy));
  auto old_plain = make_entry("old plain", k_now - 40 * k_day);
  auto old_favorite = make_entry("old favorite", k_now - 40 * k_day);
  auto old_used = make_entry("old used", k_now - 40 * k_day);
  auto recent = make_entry("recent", k_now - 2 * k_day);
  for (const auto& e : {old_plain, old_favorite, old_used, recent}) ASSERT_TRUE(store->insert(e).has_value());
  ASSERT_TRUE(store->set_favorite(old_favorite.id, Favorite::yes).has_value());
  for (int i = 0; i < k_frequently_used; ++i) ASSERT_TRUE(store->record_use(old_used.id).has_value());
  auto report = store->cleanup();
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->removed_by_age, 1);
  EXPECT_EQ(report->removed_by_count, 0);
  EXPECT_EQ(report->remaining, 3);
  EXPECT_FALSE(store->get(old_plain.id).value().has_value());
  EXPECT_TRUE(store->get(old_favorite.id).value().has_value());
  EXPECT_TRUE(store->get(old_used.id).value().has_value());
}

TEST(Retention, KeepsAtMostMaxEntriesRemovingTheOldest) {
  testing::TempDir dir;
  RetentionPolicy policy;
  policy.max_entries = 3;
  policy.preserve_favorites = false;
  auto store = HistoryStore::open(dir / "h.db", with_policy(policy));
  std::vector<CommandHistoryEntry> entries;
  for (int i = 0; i < 5; ++i) {
    entries.push_back(make_entry("echo " + std::to_string(i), k_now - 100 + i));
    ASSERT_TRUE(store->insert(entries.back()).has_value());
  }
  ASSERT_TRUE(store->set_favorite(entries[0].id, Favorite::yes).has_value());
  auto report = store->cleanup().value();
  EXPECT_EQ(report.removed_by_count, 2);
  EXPECT_EQ(report.remaining, 3);
  EXPECT_FALSE(store->get(entries[0].id).value().has_value()) << "favorites are not preserved in this policy";
  EXPECT_TRUE(store->get(entries[2].id).value().has_value());
}

TEST(Retention, RunsAfterEveryWriteAndSaysWhatItRemoved) {
  testing::TempDir dir;
  RetentionPolicy policy;
  policy.max_entries = 10;
  auto options = with_policy(policy);
  options.auto_cleanup = AutoCleanup::on;
  auto store = HistoryStore::open(dir / "h.db", options);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(store->insert(make_entry("echo " + std::to_string(i), k_now - 1000 + i)).has_value());
    EXPECT_FALSE(store->last_retention().has_value()) << "nothing is due below the limit";
  }
  ASSERT_TRUE(store->insert(make_entry("echo 10", k_now - 1000 + 10)).has_value());
  EXPECT_EQ(store->count().value(), 10) << "the limit holds after the very write that passed it";
  ASSERT_TRUE(store->last_retention().has_value());
  EXPECT_EQ(store->last_retention()->removed_by_count, 1);
  EXPECT_EQ(store->last_retention()->remaining, 10);
  EXPECT_EQ(store->list({0, 1}).value().front().command, "echo 10");
  EXPECT_EQ(store->list({9, 1}).value().front().command, "echo 1") << "the oldest went";
}

TEST(Retention, DefaultPolicyRemovesNothing) {
  testing::TempDir dir;
  auto options = with_policy(RetentionPolicy{});
  options.auto_cleanup = AutoCleanup::on;
  auto store = HistoryStore::open(dir / "h.db", options);
  std::vector<HistoryRecord> batch(3000);
  for (int i = 0; i < 3000; ++i) batch[i].entry = make_entry("echo " + std::to_string(i), k_now - 40000 * k_day + i);
  ASSERT_TRUE(store->store_batch(batch).has_value());
  auto due = store->enforce_retention();
  ASSERT_TRUE(due.has_value());
  EXPECT_FALSE(due->has_value());
  EXPECT_EQ(store->count().value(), 3000) << "no limit is set by default, however old the entries";
}

TEST(Retention, NothingDueMeansNothingRemoved) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", with_policy(RetentionPolicy{}));
  ASSERT_TRUE(store->insert(make_entry("echo", k_now)).has_value());
  auto due = apply_retention_if_due(store->database(), RetentionPolicy{}, from_unix_seconds(k_now));
  ASSERT_TRUE(due.has_value());
  EXPECT_FALSE(due->has_value());
}

}  // namespace
}  // namespace cmdai::history
