#include <gtest/gtest.h>

#include "core/time.h"
#include "core/uuid.h"
#include "history/history_store.h"
#include "history/search.h"
#include "support/temp_dir.h"

namespace cmdai::history {
namespace {

CommandHistoryEntry entry(const std::string& command, long long when) {
  CommandHistoryEntry e;
  e.id = make_uuid_v4();
  e.timestamp = from_unix_seconds(when);
  e.command = command;
  e.explanation = "explains " + command;
  e.working_directory = "/tmp";
  return e;
}

TEST(HistoryStore, StoresAndReadsBackEntries) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db");
  ASSERT_TRUE(store.has_value());
  auto e = entry("ls -la", 1'700'000'000);
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
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->insert(entry("echo " + std::to_string(i), 1000 + i)).has_value());
  auto page = store->list({1, 2});
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].command, "echo 3");
  EXPECT_EQ((*page)[1].command, "echo 2");
  EXPECT_EQ(store->count().value(), 5);
}

TEST(HistorySearch, FindsByPrefixAndKeepsQuotesInert) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db");
  ASSERT_TRUE(store->insert(entry("systemctl reload nginx", 1000)).has_value());
  ASSERT_TRUE(store->insert(entry("tar -czf a.tar.gz dir", 1001)).has_value());
  auto found = search(*store, {"syst", 10, 0});
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].entry.command, "systemctl reload nginx");
  auto odd = search(*store, {"\" OR 1=1; DROP TABLE command_history; --", 10, 0});
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(store->count().value(), 2);
}

}  // namespace
}  // namespace cmdai::history
