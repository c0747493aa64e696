// The llama.cpp embedder on a tiny BERT model (bert-bge tokenizer, random
// weights, 384 dimensions) made by the test-model generator. Random weights
// say nothing about quality; these tests check pooling, normalisation,
// batching and error handling.
//
// The model comes from CMDAI_TEST_BERT_GGUF (an existing file) or from the
// generator (CMDAI_MAKE_TINY_MODEL, or make_tiny_model built beside cmdai).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>

#include <algorithm>

#include "semantic/embedder_factory.h"
#include "semantic/embedding_cache.h"
#include "semantic/hybrid_search.h"
#include "semantic/lazy_embedder.h"
#include "semantic/llama/llama_embedder.h"
#include "semantic/reindex.h"
#include "semantic/support.h"
#include "support/process.h"

namespace cmdai::semantic {
namespace {

namespace fs = std::filesystem;

std::optional<fs::path> generator() {
  if (const char* configured = std::getenv("CMDAI_MAKE_TINY_MODEL")) return fs::path(configured);
  if (fs::exists(CMDAI_MAKE_TINY_MODEL)) return fs::path(CMDAI_MAKE_TINY_MODEL);
  const fs::path build = fs::path(CMDAI_BINARY).parent_path();
  for (const auto& candidate : {build / "tests/tools/make_tiny_model", build / "tools/make_tiny_model",
                                build / "make_tiny_model", build / "bin/make_tiny_model"}) {
    if (fs::exists(candidate)) return candidate;
  }
  return std::nullopt;
}

class LlamaEmbedderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!llama_embeddings_available()) GTEST_SKIP() << "this build has no llama.cpp";
    const fs::path fixture = fs::path(CMDAI_TINY_MODEL_DIR) / "bert.gguf";  // made by the CTest fixture
    if (const char* model = std::getenv("CMDAI_TEST_BERT_GGUF"); model != nullptr && fs::exists(model)) {
      m_model = model;
    } else if (fs::exists(fixture)) {
      m_model = fixture;
    } else if (auto tool = generator()) {
      m_model = m_dir / "tiny-bert.gguf";
      auto made = cmdai::testing::run_process({tool->string(), "bert", m_model.string()}, {}, "");
      ASSERT_EQ(made.exit_code, 0) << made.err;
    } else {
      GTEST_SKIP() << "no tiny BERT model: the generator tests/tools/make_tiny_model is not built here "
                      "(or set CMDAI_TEST_BERT_GGUF to a BERT-family GGUF)";
    }
    LlamaEmbedderOptions options;
    options.model_path = m_model;
    options.max_sequences = 4;
    options.max_tokens = 64;
    auto embedder = make_llama_embedder(options);
    ASSERT_TRUE(embedder.has_value()) << embedder.error().describe();
    m_embedder = std::move(*embedder);
  }
  cmdai::testing::TempDir m_dir;
  fs::path m_model;
  std::unique_ptr<Embedder> m_embedder;
};

float dot(const Vector& a, const Vector& b) { return std::inner_product(a.begin(), a.end(), b.begin(), 0.0F); }

TEST_F(LlamaEmbedderTest, GivesUnitVectorsOfTheModelsDimension) {
  EXPECT_EQ(m_embedder->dimensions(), 384u);
  EXPECT_NE(m_embedder->model_id().find("384"), std::string::npos);
  auto v = m_embedder->embed(std::vector<std::string>{"git log --oneline", "df -h", ""});
  ASSERT_TRUE(v.has_value()) << v.error().describe();
  ASSERT_EQ(v->size(), 3u);
  for (const auto& x : *v) {
    ASSERT_EQ(x.size(), 384u);
    EXPECT_NEAR(dot(x, x), 1.0F, 1e-3F);
  }
  EXPECT_LT(dot((*v)[0], (*v)[1]), 0.9999F) << "different texts, different vectors";
}

TEST_F(LlamaEmbedderTest, BatchedEqualsOneAtATime) {
  std::vector<std::string> texts;
  for (int i = 0; i < 10; ++i) texts.push_back("echo number " + std::to_string(i) + std::string(i * 7, 'x'));
  texts.push_back(std::string(5000, 'w') + " long text is cut, not refused");
  auto batched = m_embedder->embed(texts);
  ASSERT_TRUE(batched.has_value()) << batched.error().describe();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto single = m_embedder->embed(std::span<const std::string>(&texts[i], 1));
    ASSERT_TRUE(single.has_value());
    EXPECT_GT(dot(single->front(), (*batched)[i]), 0.999F) << i;
  }
}

// The context is made for the first call's batch and grows for a larger
// one; the same text gives the same vector, bit for bit, in either.
TEST_F(LlamaEmbedderTest, AVectorDoesNotDependOnTheContextItWasComputedIn) {
  LlamaEmbedderOptions options;
  options.model_path = m_model;
  auto small = make_llama_embedder(options);
  auto grown = make_llama_embedder(options);
  ASSERT_TRUE(small.has_value() && grown.has_value());
  const std::vector<std::string> query{"restart the web server"};
  auto alone = (*small)->embed(query);
  ASSERT_TRUE(alone.has_value()) << alone.error().describe();
  std::vector<std::string> batch;
  for (int i = 0; i < 40; ++i) batch.push_back("entry " + std::to_string(i) + " " + std::string(i * 5, 'y'));
  ASSERT_TRUE((*grown)->embed(batch).has_value());
  auto after_batch = (*grown)->embed(query);
  ASSERT_TRUE(after_batch.has_value());
  EXPECT_EQ(alone->front(), after_batch->front());
}

TEST_F(LlamaEmbedderTest, RefusesBadTextAndWorksThroughCacheAndReindex) {
  auto bad = m_embedder->embed(std::vector<std::string>{"ok", "\xff"});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  testing::StoreFixture f;
  for (int i = 0; i < 6; ++i) f.add(testing::make_entry("ls dir" + std::to_string(i % 3)));
  EmbeddingCache cache(f.store.database(), f.env);
  auto stats = reindex(f.store, *m_embedder, cache, f.env, {}, {}, std::stop_token{});
  ASSERT_TRUE(stats.has_value()) << stats.error().describe();
  EXPECT_EQ(stats->embedded, 6);
  EXPECT_EQ(cache.stats().misses, 3);
}

// Random weights put unrelated entries at the top of the vector signal: the
// worst case for a literal hit, which hybrid ranking must still show.
TEST_F(LlamaEmbedderTest, HybridSearchKeepsEntriesContainingTheQueryWordsInTheTopResults) {
  testing::StoreFixture f;
  for (int i = 0; i < 40; ++i) {
    f.add(testing::make_entry("echo noise " + std::to_string(i), "prints a number " + std::to_string(i)));
  }
  f.add(testing::make_entry("df -h", "show disk usage"));
  f.add(testing::make_entry("ionice -c3 rsync -a src/ dst/", "copy files gently on a busy disk"));
  EmbeddingCache cache(f.store.database(), f.env);
  ASSERT_TRUE(reindex(f.store, *m_embedder, cache, f.env, {}, {}, std::stop_token{}).has_value());
  SemanticSearch search(f.store, m_embedder.get(), &cache);
  ASSERT_TRUE(search.load().has_value());
  for (const std::string query : {"disk", "show me the disk usage", "the disk"}) {
    auto outcome = search.search({query, 5, 0.0}, SearchMode::hybrid, {f.env.now(), ""});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
    EXPECT_TRUE(outcome->used_vectors);
    std::vector<std::string> commands;
    for (const auto& result : outcome->results) commands.push_back(result.entry.command);
    EXPECT_NE(std::find(commands.begin(), commands.end(), "df -h"), commands.end()) << "query '" << query << "'";
    if (query == "disk") {
      EXPECT_NE(std::find(commands.begin(), commands.end(), "ionice -c3 rsync -a src/ dst/"), commands.end());
    }
    for (const auto& result : outcome->results) {
      ASSERT_TRUE(result.entry.relevance_score.has_value());
      EXPECT_DOUBLE_EQ(*result.entry.relevance_score, result.similarity_score);
    }
  }
}

// The header alone names the model as the loaded model does.
TEST_F(LlamaEmbedderTest, TheHeaderGivesTheLoadedModelsIdentity) {
  auto identity = read_llama_embedder_identity(m_model);
  ASSERT_TRUE(identity.has_value()) << identity.error().describe();
  EXPECT_EQ(identity->model_id, m_embedder->model_id());
  EXPECT_EQ(identity->dimensions, m_embedder->dimensions());
}

// open_embedder's model loads when a text is first embedded: a search whose
// query vector is cached (a repeated query) never loads it.
TEST_F(LlamaEmbedderTest, ARepeatedQueryDoesNotLoadTheModel) {
  testing::StoreFixture f;
  f.add(testing::make_entry("df -h", "show disk usage"));
  f.add(testing::make_entry("ls -la", "list the files"));
  EmbeddingCache cache(f.store.database(), f.env);
  ASSERT_TRUE(reindex(f.store, *m_embedder, cache, f.env, {}, {}, std::stop_token{}).has_value());
  f.env.set_var("CMDAI_EMBEDDING_MODEL", m_model.string());
  for (const bool first : {true, false}) {
    auto choice = open_embedder(f.env, Paths{});
    ASSERT_TRUE(choice.has_value()) << choice.error().describe();
    auto* lazy = dynamic_cast<LazyEmbedder*>(choice->embedder.get());
    ASSERT_NE(lazy, nullptr);
    SemanticSearch search(f.store, lazy, &cache);
    ASSERT_TRUE(search.load().has_value());
    EXPECT_FALSE(lazy->loaded());
    auto outcome = search.search({"how full is the  disk ", 5, 0.0}, SearchMode::semantic, {f.env.now(), ""});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
    EXPECT_TRUE(outcome->used_vectors);
    EXPECT_EQ(lazy->loaded(), first);
  }
  // The same words spaced differently are the same query.
  auto choice = open_embedder(f.env, Paths{});
  SemanticSearch search(f.store, choice->embedder.get(), &cache);
  ASSERT_TRUE(search.load().has_value());
  ASSERT_TRUE(search.search({" how full is the disk", 5, 0.0}, SearchMode::semantic, {f.env.now(), ""}).has_value());
  EXPECT_FALSE(dynamic_cast<LazyEmbedder*>(choice->embedder.get())->loaded());
}

TEST(LlamaEmbedder, MissingModelIsAClearError) {
  LlamaEmbedderOptions options;
  options.model_path = "/nonexistent/model.gguf";
  auto embedder = make_llama_embedder(options);
  ASSERT_FALSE(embedder.has_value());
  EXPECT_TRUE(embedder.error().code == ErrorCode::not_found || embedder.error().code == ErrorCode::unavailable);
}

TEST(LlamaEmbedder, AFileThatIsNotAModelIsAClearError) {
  if (!llama_embeddings_available()) GTEST_SKIP() << "this build has no llama.cpp";
  cmdai::testing::TempDir dir;
  { std::ofstream(dir / "junk.gguf") << "not a gguf file at all"; }
  LlamaEmbedderOptions options;
  options.model_path = dir / "junk.gguf";
  auto embedder = make_llama_embedder(options);
  ASSERT_FALSE(embedder.has_value());
  EXPECT_EQ(embedder.error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace cmdai::semantic
