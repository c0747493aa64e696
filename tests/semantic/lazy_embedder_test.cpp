#include "semantic/lazy_embedder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <thread>

#include "semantic/ngram_embedder.h"

namespace cmdai::semantic {
namespace {

TEST(LazyEmbedder, LoadsOnTheFirstEmbedOnlyAndThenEmbedsAsTheModel) {
  const NgramEmbedder model;
  int loads = 0;
  LazyEmbedder lazy(model.model_id(), model.dimensions(), [&]() -> Result<std::unique_ptr<Embedder>> {
    ++loads;
    return std::make_unique<NgramEmbedder>();
  });
  EXPECT_EQ(lazy.model_id(), model.model_id());
  EXPECT_EQ(lazy.dimensions(), model.dimensions());
  EXPECT_TRUE(lazy.embed({}).value().empty());
  EXPECT_EQ(loads, 0);
  const std::vector<std::string> texts{"df -h", "free disk space"};
  EXPECT_EQ(lazy.embed(texts).value(), NgramEmbedder().embed(texts).value());
  EXPECT_EQ(lazy.embed(texts).value().size(), 2u);
  EXPECT_EQ(loads, 1);
  EXPECT_TRUE(lazy.loaded());
}

TEST(LazyEmbedder, AFailedLoadIsRememberedAndAnotherModelIsRefused) {
  int loads = 0;
  LazyEmbedder broken("llama:x.gguf:1:384:mean", 384, [&]() -> Result<std::unique_ptr<Embedder>> {
    ++loads;
    return fail(ErrorCode::unavailable, "could not load the embedding model x.gguf");
  });
  const std::vector<std::string> texts{"ls"};
  for (int i = 0; i < 2; ++i) {
    auto embedded = broken.embed(texts);
    ASSERT_FALSE(embedded.has_value());
    EXPECT_EQ(embedded.error().code, ErrorCode::unavailable);
  }
  EXPECT_EQ(loads, 1);
  LazyEmbedder other("llama:x.gguf:1:384:mean", 384,
                     []() -> Result<std::unique_ptr<Embedder>> { return std::make_unique<NgramEmbedder>(); });
  auto embedded = other.embed(texts);
  ASSERT_FALSE(embedded.has_value());
  EXPECT_EQ(embedded.error().code, ErrorCode::internal);
  EXPECT_FALSE(other.loaded());
}

TEST(LazyEmbedder, APrefetchLoadsOnceAndTheNextEmbedUsesIt) {
  std::atomic<int> loads = 0;
  std::atomic<std::thread::id> loaded_on;
  {
    LazyEmbedder lazy(NgramEmbedder().model_id(), NgramEmbedder().dimensions(),
                      [&]() -> Result<std::unique_ptr<Embedder>> {
                        ++loads;
                        loaded_on = std::this_thread::get_id();
                        return std::make_unique<NgramEmbedder>();
                      });
    lazy.prefetch();
    lazy.prefetch();
    const std::vector<std::string> texts{"df -h"};
    EXPECT_EQ(lazy.embed(texts).value(), NgramEmbedder().embed(texts).value());
    EXPECT_TRUE(lazy.loaded());
    EXPECT_NE(loaded_on.load(), std::this_thread::get_id());
    lazy.prefetch();
    EXPECT_EQ(lazy.embed(texts).value().size(), 1u);
  }
  EXPECT_EQ(loads, 1);
}

TEST(LazyEmbedder, APrefetchThatFailsReportsItsErrorOnEmbed) {
  int loads = 0;
  LazyEmbedder broken("llama:x.gguf:1:384:mean", 384, [&]() -> Result<std::unique_ptr<Embedder>> {
    ++loads;
    return fail(ErrorCode::unavailable, "could not load the embedding model x.gguf");
  });
  broken.prefetch();
  auto embedded = broken.embed(std::vector<std::string>{"ls"});
  ASSERT_FALSE(embedded.has_value());
  EXPECT_EQ(embedded.error().code, ErrorCode::unavailable);
  broken.prefetch();
  EXPECT_FALSE(broken.embed(std::vector<std::string>{"ls"}).has_value());
  EXPECT_EQ(loads, 1);
}

TEST(LazyEmbedder, AnExceptionInAPrefetchedLoadBecomesAnError) {
  LazyEmbedder throwing("m", 4, []() -> Result<std::unique_ptr<Embedder>> { throw std::bad_alloc(); });
  throwing.prefetch();
  auto embedded = throwing.embed(std::vector<std::string>{"ls"});
  ASSERT_FALSE(embedded.has_value());
  EXPECT_EQ(embedded.error().code, ErrorCode::unavailable);
}

TEST(LazyEmbedder, APrefetchNobodyWaitsForIsJoinedOnDestruction) {
  std::atomic<int> loads = 0;
  {
    LazyEmbedder lazy(NgramEmbedder().model_id(), NgramEmbedder().dimensions(),
                      [&]() -> Result<std::unique_ptr<Embedder>> {
                        ++loads;
                        return std::make_unique<NgramEmbedder>();
                      });
    lazy.prefetch();
  }
  EXPECT_EQ(loads, 1);
}

}  // namespace
}  // namespace cmdai::semantic
