#include <gtest/gtest.h>

#include "semantic/embedding_cache.h"
#include "semantic/ngram_embedder.h"
#include "semantic/reindex.h"
#include "semantic/support.h"
#include "semantic/vector_store.h"

namespace cmdai::semantic {
namespace {

using testing::make_entry;
using testing::StoreFixture;

std::int64_t with_vectors(history::HistoryStore& store) {
  return *store.database().query_int("SELECT count(*) FROM command_history WHERE length(embedding_vector) = 1536");
}

TEST(Reindex, FillsEveryEntryWithProgressAndIsIdempotent) {
  StoreFixture f;
  for (int i = 0; i < 70; ++i) f.add(make_entry("echo " + std::to_string(i)));
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  std::vector<ReindexProgress> seen;
  ReindexOptions options;
  options.batch_size = 32;
  auto stats = reindex(
      f.store, embedder, cache, f.env, options, [&](const auto& p) { seen.push_back(p); }, std::stop_token{});
  ASSERT_TRUE(stats.has_value()) << stats.error().describe();
  EXPECT_EQ(stats->embedded, 70);
  EXPECT_EQ(with_vectors(f.store), 70);
  ASSERT_EQ(seen.size(), 4u);  // start, 32, 64, 70
  EXPECT_EQ(seen.front().done, 0);
  EXPECT_EQ(seen.back().done, 70);
  EXPECT_EQ(seen.back().total, 70);
  auto again = reindex(f.store, embedder, cache, f.env, options, {}, std::stop_token{});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->embedded, 0);
  EXPECT_EQ(embedder.texts_embedded(), 70u);
  EXPECT_EQ(**recorded_embedding_model(f.store.database()), embedder.model_id());
}

TEST(Reindex, SameTextIsEmbeddedOnceAcrossEntries) {
  StoreFixture f;
  for (int i = 0; i < 5; ++i) f.add(make_entry("git status"));
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  auto stats = reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{});
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->embedded, 5);
  EXPECT_EQ(embedder.texts_embedded(), 1u);
}

TEST(Reindex, SkipsTextTheModelCannotReadAndKeepsGoing) {
  StoreFixture f;
  f.add(make_entry("ls"));
  f.add(make_entry("cat \xff\xfe.txt"));
  f.add(make_entry("pwd"));
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  auto stats = reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{});
  ASSERT_TRUE(stats.has_value()) << stats.error().describe();
  EXPECT_EQ(stats->embedded, 2);
  EXPECT_EQ(stats->skipped, 1);
  EXPECT_EQ(with_vectors(f.store), 2);
}

TEST(Reindex, AnotherModelReplacesEveryOldVector) {
  StoreFixture f;
  for (int i = 0; i < 3; ++i) f.add(make_entry("echo " + std::to_string(i)));
  NgramEmbedder first(384);
  NgramEmbedder second(128);
  EmbeddingCache cache(f.store.database(), f.env);
  ASSERT_TRUE(reindex(f.store, first, cache, f.env, {}, {}, std::stop_token{}).has_value());
  auto stats = reindex(f.store, second, cache, f.env, {}, {}, std::stop_token{});
  ASSERT_TRUE(stats.has_value());
  EXPECT_TRUE(stats->model_changed);
  EXPECT_EQ(stats->embedded, 3);
  EXPECT_EQ(*f.store.database().query_int("SELECT count(*) FROM command_history WHERE length(embedding_vector) = 512"),
            3);
}

TEST(Reindex, StopsWhenAskedAndResumesLater) {
  StoreFixture f;
  for (int i = 0; i < 10; ++i) f.add(make_entry("echo " + std::to_string(i)));
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  std::stop_source stop;
  ReindexOptions options;
  options.batch_size = 4;
  auto stats = reindex(
      f.store, embedder, cache, f.env, options,
      [&](const ReindexProgress& p) {
        if (p.done >= 4) stop.request_stop();
      },
      stop.get_token());
  ASSERT_FALSE(stats.has_value());
  EXPECT_EQ(stats.error().code, ErrorCode::cancelled);
  EXPECT_EQ(with_vectors(f.store), 4) << "finished batches are kept";
  auto rest = reindex(f.store, embedder, cache, f.env, options, {}, std::stop_token{});
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->embedded, 6);
}

TEST(EmbedPending, EmbedsTheNewestEntriesFirstUpToTheLimit) {
  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  for (int i = 0; i < 5; ++i) f.add(make_entry("old " + std::to_string(i)));
  ASSERT_TRUE(reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{}).has_value());
  for (int i = 0; i < 3; ++i) f.add(make_entry("new " + std::to_string(i)));
  auto stats = embed_pending(f.store, embedder, cache, f.env, 2);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->embedded, 2);
  EXPECT_EQ(*f.store.database().query_int(
                "SELECT count(*) FROM command_history WHERE embedding_vector IS NULL AND command = 'new 0'"),
            1);
}

}  // namespace
}  // namespace cmdai::semantic

namespace cmdai::semantic {
namespace {

TEST(EmbedPendingIfIndexed, DoesNothingBeforeTheFirstReindexThenKeepsUp) {
  testing::StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  f.add(testing::make_entry("ls"));
  auto before = embed_pending_if_indexed(f.store, embedder, cache, f.env);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->embedded, 0) << "indexing starts with an explicit reindex";
  ASSERT_TRUE(reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{}).has_value());
  f.add(testing::make_entry("pwd"));
  auto after = embed_pending_if_indexed(f.store, embedder, cache, f.env);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->embedded, 1);
}

}  // namespace
}  // namespace cmdai::semantic

namespace cmdai::semantic {
namespace {

// Only the newest k_pending_window rowids are looked at: an older entry
// without a vector waits for a reindex instead of every search reading the
// whole history.
TEST(EmbedPending, LooksOnlyAtTheNewestRows) {
  testing::StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache(f.store.database(), f.env);
  f.add(testing::make_entry("old ls"));
  ASSERT_TRUE(reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{}).has_value());
  ASSERT_TRUE(f.store.database().exec("UPDATE command_history SET embedding_vector = NULL").has_value());
  {
    auto transaction = store::Transaction::begin(f.store.database()).value();
    auto insert = f.store.database()
                      .prepare(
                          "INSERT INTO command_history (id, command, explanation, shell_type, working_directory, "
                          "timestamp, embedding_vector) VALUES (printf('%08d-0000-4000-8000-000000000000', ?1), "
                          "'echo ' || ?1, '', 'bash', '/tmp', '2026-01-01T00:00:00Z', zeroblob(?2))")
                      .value();
    for (std::int64_t i = 0; i < k_pending_window; ++i) {
      insert.bind(1, i).bind(2, static_cast<std::int64_t>(embedder.dimensions() * sizeof(float)));
      ASSERT_TRUE(insert.run().has_value());
      ASSERT_TRUE(insert.reset().has_value());
    }
    ASSERT_TRUE(transaction.commit().has_value());
  }
  f.add(testing::make_entry("new pwd"));
  auto stats = embed_pending(f.store, embedder, cache, f.env, 16);
  ASSERT_TRUE(stats.has_value()) << stats.error().describe();
  EXPECT_EQ(stats->embedded, 1);
  EXPECT_EQ(*f.store.database().query_int(
                "SELECT count(*) FROM command_history WHERE embedding_vector IS NULL AND command = 'old ls'"),
            1);
  auto all = reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{});
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->embedded, 1);
}

}  // namespace
}  // namespace cmdai::semantic
