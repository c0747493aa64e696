// server_embeddings on the wire: the OpenAI-compatible reply put back in
// the order of the texts by its indexes, the request body each API expects,
// and errors in words.

#include "llm/server_embeddings.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tools/loopback_server.h"
#include "tools/ollama_wire.h"

namespace cmdai::llm {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
namespace wire = testing::ollama_wire;

RemoteOptions options(BackendType type, const std::string& url, const std::string& model) {
  RemoteOptions o;
  o.type = type;
  o.endpoint = url;
  o.model = model;
  o.idle_timeout = std::chrono::milliseconds{5'000};
  return o;
}

TEST(ServerEmbeddings, OpenAiRepliesAreReorderedByIndex) {
  LoopbackServer server([](const RecordedRequest& r) {
    if (r.path != "/v1/embeddings") return wire::json_body(404, R"({"error":{"message":"no such path"}})");
    return wire::json_body(200, R"({"object":"list","data":[)"
                                R"({"object":"embedding","index":1,"embedding":[0.0,1.0]},)"
                                R"({"object":"embedding","index":0,"embedding":[1.0,0.0]}],)"
                                R"("model":"bert","usage":{"prompt_tokens":4,"total_tokens":4}})");
  });
  const std::vector<std::string> texts{"first", "second"};
  auto vectors = server_embeddings(options(BackendType::openai, server.url() + "/v1/", "bert"), texts, {});
  ASSERT_TRUE(vectors) << vectors.error().describe();
  EXPECT_EQ((*vectors)[0], (std::vector<float>{1.0F, 0.0F}));
  EXPECT_EQ((*vectors)[1], (std::vector<float>{0.0F, 1.0F}));
  const auto body = nlohmann::json::parse(server.requests().back().body);
  EXPECT_EQ(body["model"], "bert");
  EXPECT_EQ(body["input"], nlohmann::json::array({"first", "second"}));
}

TEST(ServerEmbeddings, OllamaIsAskedAtApiEmbed) {
  LoopbackServer server([](const RecordedRequest& r) {
    if (r.path != "/api/embed") return wire::json_body(404, R"({"error":"not found"})");
    return wire::json_body(200, wire::embed_body("nomic-embed-text", {{3.0F, 4.0F}}));
  });
  const std::vector<std::string> texts{"df -h"};
  auto vectors = server_embeddings(options(BackendType::ollama, server.url(), "nomic-embed-text"), texts, {});
  ASSERT_TRUE(vectors) << vectors.error().describe();
  EXPECT_EQ((*vectors)[0], (std::vector<float>{3.0F, 4.0F})) << "normalising is the caller's";
}

TEST(ServerEmbeddings, ErrorsSayWhatHappened) {
  LoopbackServer server([](const RecordedRequest& r) {
    if (r.path == "/v1/embeddings") return wire::json_body(501, R"({"error":{"message":"embeddings are off"}})");
    return wire::json_body(200, R"({"data":[{"index":0,"embedding":"not numbers"}]})");
  });
  const std::vector<std::string> texts{"x"};
  auto off = server_embeddings(options(BackendType::openai, server.url(), "m"), texts, {});
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().code, ErrorCode::unavailable);
  EXPECT_NE(off.error().message.find("embeddings are off"), std::string::npos) << off.error().message;
  auto garbled = server_embeddings(options(BackendType::ollama, server.url(), "m"), texts, {});
  ASSERT_FALSE(garbled);
  EXPECT_EQ(garbled.error().code, ErrorCode::model_output_invalid);
  EXPECT_TRUE(server_embeddings(options(BackendType::ollama, server.url(), "m"), {}, {}).value().empty());
}

}  // namespace
}  // namespace cmdai::llm
