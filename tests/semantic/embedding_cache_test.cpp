#include <gtest/gtest.h>

#include "semantic/embedding_cache.h"
#include "semantic/ngram_embedder.h"
#include "semantic/support.h"

namespace cmdai::semantic {
namespace {

using testing::StoreFixture;

TEST(EmbeddingCache, NothingIsEmbeddedTwice) {
  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  const std::vector<std::string> first{"df -h", "du -sh .", "df -h"};
  auto a = cache.embed(embedder, first);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(embedder.texts_embedded(), 2u) << "a duplicate within a batch is embedded once";
  EXPECT_EQ((*a)[0], (*a)[2]);
  auto b = cache.embed(embedder, std::vector<std::string>{"du -sh .", "df -h"});
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(embedder.texts_embedded(), 2u);
  EXPECT_EQ((*b)[1], (*a)[0]);
  EXPECT_EQ(cache.stats().hits, 2);
  EXPECT_EQ(cache.stats().misses, 2);
  EXPECT_EQ(*cache.size(), 2);
}

TEST(EmbeddingCache, KeyDependsOnModelAndExactText) {
  EXPECT_EQ(content_hash("m1", "df -h"), content_hash("m1", "df -h"));
  EXPECT_NE(content_hash("m1", "df -h"), content_hash("m2", "df -h"));
  EXPECT_NE(content_hash("m1", "df -h"), content_hash("m1", "df -h "));
  EXPECT_NE(content_hash("m1", "ab"), content_hash("m1a", "b")) << "model and text are separated";
  EXPECT_EQ(content_hash("m", "x").size(), 32u);
}

TEST(EmbeddingCache, HitsBumpAccessCountAndLastAccessed) {
  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  const std::vector<std::string> text{"ls -la"};
  ASSERT_TRUE(cache.embed(embedder, text).has_value());
  f.env.advance(std::chrono::hours(1));
  ASSERT_TRUE(cache.embed(embedder, text).has_value());
  ASSERT_TRUE(cache.embed(embedder, text).has_value());
  auto row = f.store.database().prepare("SELECT access_count, last_accessed, created_at FROM embedding_cache");
  ASSERT_TRUE(row.has_value());
  ASSERT_TRUE(*row->step());
  EXPECT_EQ(row->column_int(0), 3);
  EXPECT_EQ(row->column_text(1), "2025-12-01T01:00:00.000000Z");
  EXPECT_EQ(row->column_text(2), "2025-12-01T00:00:00.000000Z");
}

TEST(EmbeddingCache, EvictsLeastRecentlyUsedBeyondTheCap) {
  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env, CacheOptions{3});
  for (const char* text : {"a1", "b2", "c3"}) {
    ASSERT_TRUE(cache.embed(embedder, std::vector<std::string>{text}).has_value());
    f.env.advance(std::chrono::minutes(1));
  }
  ASSERT_TRUE(cache.embed(embedder, std::vector<std::string>{"a1"}).has_value());  // a1 is fresh again
  f.env.advance(std::chrono::minutes(1));
  ASSERT_TRUE(cache.embed(embedder, std::vector<std::string>{"d4"}).has_value());
  EXPECT_EQ(*cache.size(), 3);
  EXPECT_EQ(cache.stats().evicted, 1);
  const auto before = embedder.texts_embedded();
  ASSERT_TRUE(cache.embed(embedder, std::vector<std::string>{"a1", "c3", "d4"}).has_value());
  EXPECT_EQ(embedder.texts_embedded(), before) << "b2, the least recently used, was the one evicted";
}

TEST(EmbeddingCache, HoldsSaysWhatEmbedWouldFindWithoutCountingAHit) {
  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  EXPECT_FALSE(*cache.holds(embedder, "df -h"));
  ASSERT_TRUE(cache.embed(embedder, std::vector<std::string>{"df -h"}).has_value());
  EXPECT_TRUE(*cache.holds(embedder, "df -h"));
  EXPECT_FALSE(*cache.holds(embedder, "df  -h"));
  EXPECT_EQ(cache.stats().hits, 0);
  EXPECT_EQ(*f.store.database().query_int("SELECT access_count FROM embedding_cache"), 1);
  ASSERT_TRUE(f.store.database().exec("UPDATE embedding_cache SET embedding_vector = x'00010203'").has_value());
  EXPECT_FALSE(*cache.holds(embedder, "df -h")) << "a row of the wrong size is a miss for embed()";
}

// Rows replaced and evicted leave gaps in the rowids: the cap still counts rows.
TEST(EmbeddingCache, RowsWithGapsBetweenTheirRowidsStayWhileTheyFitTheCap) {
  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env, CacheOptions{3});
  for (const char* text : {"a1", "b2", "c3"}) ASSERT_TRUE(cache.embed(embedder, std::vector<std::string>{text}));
  ASSERT_TRUE(f.store.database().exec("DELETE FROM embedding_cache WHERE rowid = 2").has_value());
  ASSERT_TRUE(cache.embed(embedder, std::vector<std::string>{"d4"}).has_value());
  EXPECT_EQ(*cache.size(), 3);
  EXPECT_EQ(cache.stats().evicted, 0);
  ASSERT_TRUE(cache.embed(embedder, std::vector<std::string>{"e5"}).has_value());
  EXPECT_EQ(*cache.size(), 3);
  EXPECT_EQ(cache.stats().evicted, 1);
}

TEST(EmbeddingCache, ARowOfTheWrongSizeIsRecomputedNotTrusted) {
  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  const std::vector<std::string> text{"uptime"};
  auto good = cache.embed(embedder, text);
  ASSERT_TRUE(f.store.database().exec("UPDATE embedding_cache SET embedding_vector = x'00010203'").has_value());
  auto again = cache.embed(embedder, text);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->front(), good->front());
  EXPECT_EQ(embedder.texts_embedded(), 2u);
}

TEST(EmbeddingCache, EmbedderErrorsPassThroughAndStoreNothing) {
  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  auto result = cache.embed(embedder, std::vector<std::string>{"fine", std::string("bad\0", 4)});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(*cache.size(), 0);
}

}  // namespace
}  // namespace cmdai::semantic
