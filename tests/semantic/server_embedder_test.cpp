// ServerEmbedder against Ollama's /api/embed (the wire-faithful loopback
// server) and a real llama-server started with --embeddings and the tiny
// BERT model (/v1/embeddings): vector size learnt on open, vectors in order
// and normalised, the cache keeping each model's vectors apart, a dead or
// malformed server reported, and a search whose server died still ranking
// by words.

#include "semantic/server_embedder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "semantic/embedding_cache.h"
#include "semantic/hybrid_search.h"
#include "semantic/reindex.h"
#include "semantic/support.h"
#include "tools/llama_server.h"
#include "tools/ollama_wire.h"
#include "tools/tiny_model.h"

namespace cmdai::semantic {
namespace {

namespace wire = cmdai::testing::ollama_wire;

cmdai::testing::ScriptedResponse embed_reply(const cmdai::testing::RecordedRequest& r) {
  if (r.path != "/api/embed") return wire::json_body(404, R"({"error":"not found"})");
  const auto body = nlohmann::json::parse(r.body);
  if (body.value("model", "") == "missing") {
    return wire::json_body(404, R"({"error":"model \"missing\" not found, try pulling it first"})");
  }
  std::vector<std::vector<float>> vectors;
  for (const auto& text : body.at("input")) vectors.push_back(wire::spelling_vector(text));
  if (body.value("model", "") == "short") vectors.pop_back();
  return wire::json_body(200, wire::embed_body(body.value("model", ""), vectors));
}

float norm(const Vector& v) {
  float sum = 0;
  for (float x : v) sum += x * x;
  return std::sqrt(sum);
}

class ServerEmbedderTest : public ::testing::Test {
 protected:
  EmbeddingServer ollama(const std::string& model) const { return {BackendType::ollama, m_server.url(), model}; }
  cmdai::testing::LoopbackServer m_server{embed_reply};
};

TEST_F(ServerEmbedderTest, OllamaVectorsComeInOrderNormalisedUnderTheModelsOwnId) {
  auto embedder = ServerEmbedder::open(ollama("all-minilm"));
  ASSERT_TRUE(embedder) << embedder.error().describe();
  EXPECT_EQ((*embedder)->dimensions(), 8u);
  EXPECT_EQ((*embedder)->model_id(), "ollama:all-minilm");
  const std::vector<std::string> texts{"df -h", "git log", "df -h"};
  auto vectors = (*embedder)->embed(texts);
  ASSERT_TRUE(vectors) << vectors.error().describe();
  ASSERT_EQ(vectors->size(), 3u);
  EXPECT_NEAR(norm((*vectors)[0]), 1.0F, 1e-5F);
  EXPECT_EQ((*vectors)[0], (*vectors)[2]);
  EXPECT_NE((*vectors)[0], (*vectors)[1]);
  const std::string nul("a\0b", 3);
  EXPECT_EQ((*embedder)->embed(std::vector<std::string>{nul}).error().code, ErrorCode::invalid_argument);
}

TEST_F(ServerEmbedderTest, TheCacheKeepsEachModelsVectorsApart) {
  testing::StoreFixture f;
  EmbeddingCache cache(f.store.database(), f.env);
  auto minilm = ServerEmbedder::open(ollama("all-minilm"));
  auto nomic = ServerEmbedder::open(ollama("nomic-embed-text"));
  ASSERT_TRUE(minilm && nomic);
  const std::vector<std::string> text{"docker ps"};
  ASSERT_TRUE(cache.embed(**minilm, text));
  ASSERT_TRUE(cache.embed(**nomic, text));
  EXPECT_EQ(cache.size().value(), 2) << "same text, two models: two entries";
  ASSERT_TRUE(cache.embed(**minilm, text));
  EXPECT_EQ(cache.stats().hits, 1);
}

TEST_F(ServerEmbedderTest, DeadMissingAndMalformedServersAreReportedNotCrashedOn) {
  const EmbeddingServer dead{BackendType::ollama,
                             "http://127.0.0.1:" + std::to_string(cmdai::testing::free_loopback_port()), "all-minilm"};
  auto refused = ServerEmbedder::open(dead);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
  auto missing = ServerEmbedder::open(ollama("missing"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().hint.find("ollama pull missing"), std::string::npos) << missing.error().describe();
  auto shortened = ServerEmbedder::open(ollama("short"));
  ASSERT_FALSE(shortened);
  EXPECT_EQ(shortened.error().code, ErrorCode::model_output_invalid);
}

TEST_F(ServerEmbedderTest, ASearchWhoseServerDiedStillRanksByWords) {
  testing::StoreFixture f;
  f.add(testing::make_entry("df -h"));
  f.add(testing::make_entry("git log --oneline"));
  auto server = std::make_unique<cmdai::testing::LoopbackServer>(embed_reply);
  auto embedder = ServerEmbedder::open({BackendType::ollama, server->url(), "all-minilm"});
  ASSERT_TRUE(embedder);
  EmbeddingCache cache(f.store.database(), f.env);
  ASSERT_TRUE(reindex(f.store, **embedder, cache, f.env, {}, {}, std::stop_token{}));
  SemanticSearch search(f.store, embedder->get(), &cache);
  ASSERT_TRUE(search.load());
  server.reset();  // the server stops
  auto outcome = search.search({"git log", 10, 0.0, {}}, SearchMode::hybrid, {f.env.now(), ""});
  ASSERT_TRUE(outcome) << outcome.error().describe();
  ASSERT_FALSE(outcome->results.empty());
  EXPECT_EQ(outcome->results[0].entry.command, "git log --oneline");
  EXPECT_FALSE(outcome->used_vectors);
  bool said = false;
  for (const auto& notice : outcome->notices) said = said || notice.find("the query was not embedded") != notice.npos;
  EXPECT_TRUE(said);
}

TEST(ServerEmbedderLlamaServer, TheRealServerServesOpenAiEmbeddings) {
  const auto model = cmdai::testing::tiny_model("bert");
  if (model.empty() || !std::filesystem::exists(CMDAI_LLAMA_SERVER)) GTEST_SKIP() << "built without llama.cpp";
  cmdai::testing::LlamaServer server({CMDAI_LLAMA_SERVER, model, {}, 512}, {"--embeddings"});
  ASSERT_TRUE(server.ready()) << "llama-server did not start";
  auto embedder = ServerEmbedder::open({BackendType::openai, server.url(), "bert"});
  ASSERT_TRUE(embedder) << embedder.error().describe();
  EXPECT_EQ((*embedder)->dimensions(), 384u);
  const std::vector<std::string> texts{"list files", "show disk usage"};
  auto vectors = (*embedder)->embed(texts);
  ASSERT_TRUE(vectors) << vectors.error().describe();
  ASSERT_EQ(vectors->size(), 2u);
  EXPECT_NEAR(norm((*vectors)[1]), 1.0F, 1e-4F);
  EXPECT_NE((*vectors)[0], (*vectors)[1]);
}

}  // namespace
}  // namespace cmdai::semantic
