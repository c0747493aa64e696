#include <gtest/gtest.h>

#include "history/search.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

TEST(HistoryStore, StoresAndReadsBackEntries) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db");
  ASSERT_TRUE(store.has_value());
  auto e = make_entry("ls -la");
  e.user_input = "list files";
  e.safety_metadata = SafetyMetadata{RiskLevel::safe, {}, false, 1.0};
  ASSERT_TRUE(store->insert(e).has_value());
  auto back = store->get(e.id);
  ASSERT_TRUE(back.has_value());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, e);
  EXPECT_FALSE(store->insert(e).has_value()) << "duplicate id must be refused";
}

TEST(HistoryStore, ListsNewestFirstWithPaging) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->insert(make_entry("echo " + std::to_string(i), 1000 + i)).has_value());
  auto page = store->list({1, 2});
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].command, "echo 3");
  EXPECT_EQ((*page)[1].command, "echo 2");
  EXPECT_EQ(store->count().value(), 5);
}

TEST(HistoryStore, ResolvesUniqueIdPrefixes) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto a = make_entry("echo a");
  auto b = make_entry("echo b");
  a.id = "aaaa1111-0000-4000-8000-000000000001";
  b.id = "aaaa2222-0000-4000-8000-000000000002";
  ASSERT_TRUE(store->insert(a).has_value());
  ASSERT_TRUE(store->insert(b).has_value());
  EXPECT_EQ(store->resolve_id("aaaa1").value(), a.id);
  EXPECT_EQ(store->resolve_id("AAAA2222").value(), b.id);
  EXPECT_EQ(store->resolve_id(a.id).value(), a.id);
  EXPECT_EQ(store->resolve_id("aaaa").error().code, ErrorCode::invalid_argument) << "ambiguous";
  EXPECT_EQ(store->resolve_id("bbbb").error().code, ErrorCode::not_found);
  EXPECT_EQ(store->resolve_id("x' OR 1=1").error().code, ErrorCode::invalid_argument);
}

TEST(HistoryStore, DeletesFavoritesTagsAndCountsUses) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto e = make_entry("make deploy");
  ASSERT_TRUE(store->insert(e).has_value());
  ASSERT_TRUE(store->set_tags(e.id, {"deploy", "prod"}).has_value());
  ASSERT_TRUE(store->set_favorite(e.id, Favorite::yes).has_value());
  ASSERT_TRUE(store->record_use(e.id).has_value());
  ASSERT_TRUE(store->record_use(e.id).has_value());
  auto record = store->get_record(e.id).value().value();
  EXPECT_TRUE(record.favorite);
  EXPECT_EQ(record.use_count, 2);
  EXPECT_EQ(record.entry.tags, (std::vector<std::string>{"deploy", "prod", "favorite"})) << "the mark is the tag";
  EXPECT_EQ(record.hostname, "testhost");
  EXPECT_EQ(search(*store, {"prod", 10, 0}).value().size(), 1u) << "tags are searchable after an update";
  ASSERT_TRUE(store->set_favorite(e.id, Favorite::no).has_value());
  EXPECT_FALSE(store->get_record(e.id).value()->favorite);
  ASSERT_TRUE(store->remove(e.id).has_value());
  EXPECT_FALSE(store->get(e.id).value().has_value());
  EXPECT_EQ(store->remove(e.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(store->set_favorite(e.id, Favorite::yes).error().code, ErrorCode::not_found);
  EXPECT_TRUE(search(*store, {"deploy", 10, 0}).value().empty()) << "deleted rows leave the index";
}

TEST(HistoryStore, RecordExecutionMergesMetadataAndSetsConfirmation) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto e = make_entry("rm -r build");
  ExecutionMetadata generated;
  generated.backend_used = "rules";
  generated.generation_time = Micros{1500};
  e.execution_metadata = generated;
  e.safety_metadata = SafetyMetadata{RiskLevel::moderate, {"rm_recursive"}, false, 0.6};
  ASSERT_TRUE(store->insert(e).has_value());
  ExecutionMetadata ran;
  ran.exit_code = 3;
  ran.execution_time = Micros{2000};
  ran.output_size = 42;
  ASSERT_TRUE(store->record_execution(e.id, ran, true).has_value());
  auto back = store->get(e.id).value().value();
  ASSERT_TRUE(back.execution_metadata.has_value());
  EXPECT_EQ(back.execution_metadata->exit_code, 3);
  EXPECT_EQ(back.execution_metadata->output_size, 42u);
  EXPECT_EQ(back.execution_metadata->backend_used, "rules") << "unset fields keep their stored values";
  EXPECT_EQ(back.execution_metadata->generation_time, Micros{1500});
  EXPECT_TRUE(back.safety_metadata->user_confirmed);
  EXPECT_EQ(back.safety_metadata->patterns_matched, std::vector<std::string>{"rm_recursive"});
  EXPECT_EQ(store->record_execution(make_uuid_v4(), ran, false).error().code, ErrorCode::not_found);
}

TEST(HistoryStore, BatchKeepsGoodRecordsAndReportsBadOnes) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto a = make_entry("echo a");
  auto bad = make_entry("");
  std::vector<HistoryRecord> batch{{a, false, 0, {}, {}}, {bad, false, 0, {}, {}}, {a, false, 0, {}, {}}};
  auto outcomes = store->store_batch(batch);
  ASSERT_TRUE(outcomes.has_value());
  ASSERT_EQ(outcomes->size(), 3u);
  EXPECT_TRUE((*outcomes)[0].has_value());
  EXPECT_FALSE((*outcomes)[1].has_value());
  EXPECT_FALSE((*outcomes)[2].has_value()) << "duplicate id";
  EXPECT_EQ(store->count().value(), 1);
}

}  // namespace
}  // namespace cmdai::history
