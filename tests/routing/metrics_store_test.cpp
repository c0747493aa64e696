#include "routing/metrics_store.h"

#include <gtest/gtest.h>

#include "store/migrations.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::routing {
namespace {

class MetricsStoreTest : public ::testing::Test {
 protected:
  MetricsStore open() {
    auto store = MetricsStore::open(m_dir / "history.db");
    EXPECT_TRUE(store) << store.error().describe();
    return std::move(*store);
  }
  RequestSample sample(int ms, Outcome outcome = Outcome::success) {
    return {m_env.now(), Micros{ms * 1000}, std::nullopt, outcome, outcome == Outcome::success ? "" : "refused"};
  }
  testing::TempDir m_dir;
  testing::FakeEnv m_env;
};

TEST_F(MetricsStoreTest, ANewProcessSeesHealthAndFiguresWithoutProbing) {
  {
    PerformanceMonitor first;
    first.record_request("gpu1", sample(200));
    first.record_health("gpu1", {false, "connection refused", Micros{300}, m_env.now()});
    auto store = open();
    ASSERT_TRUE(store.save(first));
  }
  PerformanceMonitor second;
  auto store = open();
  auto warnings = store.load_into(second);
  ASSERT_TRUE(warnings);
  EXPECT_TRUE(warnings->empty());
  const auto s = second.stats("gpu1");
  EXPECT_EQ(s.total_requests, 1u);
  EXPECT_EQ(s.avg_response_time, Micros{200'000});
  ASSERT_TRUE(s.health);
  EXPECT_FALSE(s.health->healthy);
  EXPECT_EQ(s.health->checked_at, m_env.now());
}

TEST_F(MetricsStoreTest, SeedColumnsHoldTheSummary) {
  PerformanceMonitor monitor;
  monitor.record_request("gpu1", sample(100));
  monitor.record_request("gpu1", sample(300, Outcome::failure));
  monitor.record_health("gpu1", {true, "ok", {}, m_env.now()});
  auto store = open();
  ASSERT_TRUE(store.save(monitor));
  auto db = store::Database::open(m_dir / "history.db");
  ASSERT_TRUE(db);
  auto row = db->prepare(
      "SELECT avg_response_time_ms, success_rate, availability, last_health_check, json_extract(metrics_json, "
      "'$.total_requests') FROM backend_metrics WHERE backend_name = 'gpu1'");
  ASSERT_TRUE(row);
  ASSERT_TRUE(*row->step());
  EXPECT_EQ(row->column_int(0), 100);
  EXPECT_DOUBLE_EQ(row->column_double(1), 0.5);
  EXPECT_DOUBLE_EQ(row->column_double(2), 1.0);
  EXPECT_EQ(row->column_text(3), "2025-12-01T00:00:00.000000Z");
  EXPECT_EQ(row->column_int(4), 2);
}

TEST_F(MetricsStoreTest, TwoProcessesSavingMergeInsteadOfOverwriting) {
  PerformanceMonitor a;
  PerformanceMonitor b;
  auto store_a = open();
  auto store_b = open();
  ASSERT_TRUE(store_a.load_into(a));
  ASSERT_TRUE(store_b.load_into(b));
  a.record_request("gpu1", sample(100));
  b.record_request("gpu1", sample(300));
  b.record_request("gpu1", sample(300));
  ASSERT_TRUE(store_a.save(a));
  ASSERT_TRUE(store_b.save(b));
  EXPECT_EQ(b.stats("gpu1").total_requests, 3u);
  PerformanceMonitor fresh;
  ASSERT_TRUE(open().load_into(fresh));
  EXPECT_EQ(fresh.stats("gpu1").total_requests, 3u);
  // Saving again without new events writes nothing twice.
  ASSERT_TRUE(store_a.save(a));
  PerformanceMonitor again;
  ASSERT_TRUE(open().load_into(again));
  EXPECT_EQ(again.stats("gpu1").total_requests, 3u);
}

TEST_F(MetricsStoreTest, MalformedRowIsReportedAndTheOthersStillLoad) {
  PerformanceMonitor monitor;
  monitor.record_request("good", sample(100));
  auto store = open();
  ASSERT_TRUE(store.save(monitor));
  auto db = store::Database::open(m_dir / "history.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(
      db->exec("INSERT INTO backend_metrics (backend_name, metrics_json) VALUES "
               "('broken', '{not json'), ('nul', '{\"version\":1}'), ('empty', NULL)"));
  PerformanceMonitor loaded;
  auto warnings = store.load_into(loaded);
  ASSERT_TRUE(warnings);
  ASSERT_EQ(warnings->size(), 2u);
  EXPECT_NE((*warnings)[0].find("broken"), std::string::npos);
  EXPECT_EQ(loaded.stats("good").total_requests, 1u);
  // The broken instance starts afresh and its next save repairs the row.
  loaded.record_request("broken", sample(50));
  ASSERT_TRUE(store.save(loaded));
  PerformanceMonitor repaired;
  auto after = open().load_into(repaired);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 1u);  // only 'nul' is still malformed
  EXPECT_EQ(repaired.stats("broken").total_requests, 1u);
}

TEST_F(MetricsStoreTest, ResetDeletesEveryRow) {
  PerformanceMonitor monitor;
  monitor.record_request("gpu1", sample(100));
  auto store = open();
  ASSERT_TRUE(store.save(monitor));
  ASSERT_TRUE(store.reset());
  PerformanceMonitor loaded;
  ASSERT_TRUE(store.load_into(loaded));
  EXPECT_EQ(loaded.stats("gpu1").total_requests, 0u);
}

TEST_F(MetricsStoreTest, RowsKeyedByInstanceNameGoWhenTheDatabaseIsUpgraded) {
  {
    // A database as the last schema before keys by measurement left it.
    auto db = store::Database::open(m_dir / "history.db");
    ASSERT_TRUE(db);
    for (const auto& migration : store::migrations()) {
      if (migration.version > 7) break;
      ASSERT_TRUE(db->exec(migration.sql));
    }
    ASSERT_TRUE(db->exec("PRAGMA user_version = 7"));
    ASSERT_TRUE(
        db->exec("INSERT INTO backend_metrics (backend_name, metrics_json) VALUES ('ollama', '{}'), "
                 "('ollama|http://127.0.0.1:11434|qwen', '{}')"));
  }
  auto store = open();
  auto db = store::Database::open(m_dir / "history.db");
  ASSERT_TRUE(db);
  EXPECT_EQ(db->query_int("SELECT count(*) FROM backend_metrics WHERE backend_name = 'ollama'").value(), 0);
  EXPECT_EQ(db->query_int("SELECT count(*) FROM backend_metrics WHERE backend_name LIKE 'ollama|%'").value(), 1)
      << "rows keyed by what was measured stay";
}

}  // namespace
}  // namespace cmdai::routing
