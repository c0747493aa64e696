#include <gtest/gtest.h>

#include "history/import.h"
#include "history/search.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

TEST(Tags, AddAndRemoveReturnWhatTheEntryHasAfterwards) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto entry = make_entry("kubectl rollout restart deploy/web");
  entry.tags = {"k8s"};
  ASSERT_TRUE(store->insert(entry).has_value());
  auto added = store->add_tags(entry.id, {"deploy", " prod ", "deploy"});
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(*added, (std::vector<std::string>{"k8s", "deploy", "prod"})) << "trimmed, each once";
  auto removed = store->remove_tags(entry.id, {"k8s", "not-there"});
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, (std::vector<std::string>{"deploy", "prod"}));
  EXPECT_EQ(store->get(entry.id).value()->tags, (std::vector<std::string>{"deploy", "prod"}));
}

TEST(Tags, BadTagsAndUnknownIdsChangeNothing) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto entry = make_entry("ls");
  ASSERT_TRUE(store->insert(entry).has_value());
  for (const std::string& bad : std::vector<std::string>{"", "   ", "two\nlines", "caf\xc3", std::string(101, 'x')}) {
    auto result = store->add_tags(entry.id, {"fine", bad});
    ASSERT_FALSE(result.has_value()) << "'" << bad << "'";
    EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
  }
  EXPECT_TRUE(store->get(entry.id).value()->tags.empty()) << "a bad tag stops the whole change";
  auto unknown = store->add_tags("00000000-0000-4000-8000-000000000000", {"x"});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST(Tags, FavoriteTagAndFavoriteMarkAreOneThingThatRetentionKeeps) {
  testing::TempDir dir;
  auto options = quiet_options();
  options.auto_cleanup = AutoCleanup::on;
  options.retention.max_entries = 2;
  options.retention.preserve_frequently_used = false;
  auto store = HistoryStore::open(dir / "h.db", options);
  auto oldest = make_entry("echo oldest", 1'700'000'000);
  auto marked = make_entry("echo marked", 1'700'000'001);
  ASSERT_TRUE(store->insert(oldest).has_value());
  ASSERT_TRUE(store->insert(marked).has_value());
  ASSERT_TRUE(store->add_tags(oldest.id, {"favorite"}).has_value());
  EXPECT_TRUE(store->get_record(oldest.id).value()->favorite) << "the tag marks it";
  ASSERT_TRUE(store->set_favorite(marked.id, Favorite::yes).has_value());
  EXPECT_EQ(store->get(marked.id).value()->tags, std::vector<std::string>{"favorite"}) << "the mark tags it";
  ASSERT_TRUE(store->set_favorite(marked.id, Favorite::no).has_value());
  EXPECT_TRUE(store->get(marked.id).value()->tags.empty());

  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store->insert(make_entry("echo new " + std::to_string(i), 1'700'000'100 + i)).has_value());
  }
  EXPECT_TRUE(store->get(oldest.id).value().has_value()) << "tagged favorite: kept by retention";
  EXPECT_FALSE(store->get(marked.id).value().has_value()) << "no longer a favourite: removed as the oldest";
  EXPECT_EQ(store->count().value(), 2) << "the favourite counts toward the limit of 2";
}

TEST(Tags, TagFilterFindsOnlyTaggedEntries) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto tagged = make_entry("terraform apply");
  auto other = make_entry("terraform plan");
  ASSERT_TRUE(store->insert(tagged).has_value());
  ASSERT_TRUE(store->insert(other).has_value());
  ASSERT_TRUE(store->add_tags(tagged.id, {"infra"}).has_value());
  SearchFilters filters;
  filters.tag = "infra";
  auto listed = store->list_records({0, 10}, filters).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].entry.id, tagged.id);
  auto found = search(*store, SearchQuery("terraform", 10, 0.0, filters)).value();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entry.id, tagged.id);
  ASSERT_TRUE(found[0].entry.relevance_score.has_value()) << "search fills the seed's relevance_score";
  EXPECT_DOUBLE_EQ(*found[0].entry.relevance_score, found[0].similarity_score);
}

TEST(Ids, AnyCaseInOneCaseStored) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto entry = make_entry("uptime");
  entry.id = "3F2A9C1E-0B4D-4C6E-8A1F-2B3C4D5E6F70";
  ASSERT_TRUE(store->insert(entry).has_value());
  EXPECT_EQ(store->list({0, 1}).value().front().id, "3f2a9c1e-0b4d-4c6e-8a1f-2b3c4d5e6f70");
  EXPECT_TRUE(store->get("3F2A9C1E-0B4D-4C6E-8A1F-2B3C4D5E6F70").value().has_value());
  EXPECT_EQ(store->resolve_id("3F2A9C").value(), "3f2a9c1e-0b4d-4c6e-8a1f-2b3c4d5e6f70");
  EXPECT_TRUE(store->add_tags("3F2A9C1E-0B4D-4C6E-8A1F-2B3C4D5E6F70", {"x"}).has_value());
  EXPECT_TRUE(store->record_use("3f2a9c1e-0B4D-4c6e-8A1F-2b3c4d5e6f70").has_value());
  auto lower = make_entry("uptime again");
  lower.id = "3f2a9c1e-0b4d-4c6e-8a1f-2b3c4d5e6f70";
  EXPECT_FALSE(store->insert(lower).has_value()) << "the same id in another case is the same entry";

  const std::string jsonl =
      R"({"id":"ABCDEF01-2345-4678-9ABC-DEF012345678","timestamp":"2024-01-01T00:00:00Z","command":"df -h"})"
      "\n";
  auto report = import_history_text(*store, ImportFormat::jsonl, jsonl);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->imported, 1);
  EXPECT_TRUE(store->get("abcdef01-2345-4678-9abc-def012345678").value().has_value()) << "imported upper-case id";
  EXPECT_EQ(store->resolve_id("ABCDEF01").value(), "abcdef01-2345-4678-9abc-def012345678");
}

}  // namespace
}  // namespace cmdai::history
