// The OpenAI-compatible backend against a real llama-server on a loopback
// port serving the tiny model (streaming, non-streaming, schema, health,
// server killed mid-stream, server not started), and against a scripted
// SSE server for a slow first token and an API key.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "generation/output_parser.h"
#include "generation/prompt.h"
#include "llm/backend_factory.h"
#include "llm/openai_backend.h"
#include "support/temp_dir.h"
#include "tools/llama_server.h"
#include "tools/loopback_server.h"
#include "tools/tiny_model.h"

namespace cmdai::llm {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

CompletionRequest request() {
  CompletionRequest r;
  r.messages = generation::build_messages("list files", ShellType::bash, Userland::gnu, "/tmp");
  r.json_schema = std::string(generation::output_json_schema());
  r.max_tokens = 512;
  return r;
}

std::unique_ptr<Backend> openai(const std::string& url, bool stream = true, BackendType type = BackendType::openai) {
  BackendSpec spec;
  spec.type = type;
  spec.endpoint = url;
  spec.stream = stream;
  spec.api_key_env.clear();
  spec.timeout = std::chrono::milliseconds{20'000};
  return std::move(*create_backend(spec));
}

class OpenAiLlamaServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto model = testing::tiny_model("chat");
    if (model.empty() || !std::filesystem::exists(CMDAI_LLAMA_SERVER)) return;
    s_dir = new testing::TempDir;
    s_server = new testing::LlamaServer(model, *s_dir / "server.log");
  }
  static void TearDownTestSuite() {
    delete s_server;
    delete s_dir;
    s_server = nullptr;
    s_dir = nullptr;
  }
  void SetUp() override {
    if (!s_server) GTEST_SKIP() << "built without llama.cpp";
    ASSERT_TRUE(s_server->ready()) << "llama-server did not start";
  }
  static testing::TempDir* s_dir;
  static testing::LlamaServer* s_server;
};
testing::TempDir* OpenAiLlamaServerTest::s_dir = nullptr;
testing::LlamaServer* OpenAiLlamaServerTest::s_server = nullptr;

TEST_F(OpenAiLlamaServerTest, StreamsSchemaConstrainedJson) {
  std::string streamed;
  int pieces = 0;
  auto completion = openai(s_server->url())
                        ->complete(request(),
                                   [&](std::string_view p) {
                                     streamed += p;
                                     ++pieces;
                                   },
                                   {});
  ASSERT_TRUE(completion) << completion.error().describe();
  EXPECT_GT(pieces, 1);
  EXPECT_EQ(streamed, completion->text);
  EXPECT_GT(completion->time_to_first_token.count(), 0);
  auto json = nlohmann::json::parse(completion->text, nullptr, false);
  ASSERT_TRUE(json.is_object()) << "response_format json_schema is honoured: " << completion->text;
  EXPECT_TRUE(json["command"].is_string());
}

TEST_F(OpenAiLlamaServerTest, NonStreamingAnswer) {
  int pieces = 0;
  auto completion =
      openai(s_server->url() + "/v1", false)->complete(request(), [&](std::string_view) { ++pieces; }, {});
  ASSERT_TRUE(completion) << completion.error().describe();
  EXPECT_EQ(pieces, 1);
  EXPECT_GT(completion->tokens_generated, 1U) << "usage.completion_tokens";
  EXPECT_TRUE(nlohmann::json::parse(completion->text, nullptr, false).is_object()) << completion->text;
}

TEST_F(OpenAiLlamaServerTest, VllmAndMlxSpeakTheSameApi) {
  auto vllm = openai(s_server->url(), true, BackendType::vllm);
  EXPECT_EQ(vllm->type(), BackendType::vllm);
  auto completion = vllm->complete(request(), {}, {});
  EXPECT_TRUE(completion) << completion.error().describe();
  auto mlx = openai(s_server->url(), true, BackendType::mlx);
  EXPECT_EQ(mlx->type(), BackendType::mlx);
  EXPECT_TRUE(mlx->check_health({}));
}

TEST_F(OpenAiLlamaServerTest, HealthAndModels) {
  auto health = openai(s_server->url())->check_health({});
  ASSERT_TRUE(health) << health.error().describe();
  EXPECT_TRUE(health->healthy);
  ASSERT_EQ(health->models.size(), 1U);
  EXPECT_NE(health->models[0].find("chat"), std::string::npos);
}

TEST_F(OpenAiLlamaServerTest, CancelMidStream) {
  std::stop_source stop;
  int pieces = 0;
  auto completion = openai(s_server->url())
                        ->complete(
                            request(),
                            [&](std::string_view) {
                              if (++pieces == 2) stop.request_stop();
                            },
                            stop.get_token());
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::cancelled);
  EXPECT_EQ(pieces, 2);
  // The server keeps serving afterwards.
  EXPECT_TRUE(openai(s_server->url())->complete(request(), {}, {}));
}

TEST(OpenAiBackend, ServerKilledMidStream) {
  const auto model = testing::tiny_model("chat");
  if (model.empty()) GTEST_SKIP() << "built without llama.cpp";
  testing::TempDir dir;
  testing::LlamaServer server(model, dir / "server.log");
  ASSERT_TRUE(server.ready());
  int pieces = 0;
  auto completion = openai(server.url())
                        ->complete(request(),
                                   [&](std::string_view) {
                                     if (++pieces == 2) server.kill();
                                   },
                                   {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable) << completion.error().describe();
}

TEST(OpenAiBackend, ServerNotStarted) {
  const int port = testing::free_loopback_port();
  auto backend = openai("http://127.0.0.1:" + std::to_string(port));
  auto completion = backend->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
  EXPECT_FALSE(backend->check_health({}));
}

ScriptedResponse sse(std::vector<std::string> chunks, int hold_after = -1) {
  ScriptedResponse r;
  r.content_type = "text/event-stream";
  r.chunks = std::move(chunks);
  r.hold_after = hold_after;
  return r;
}

std::vector<std::string> sse_answer() {
  return {
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"{\\\"command\\\": "
      "\\\"ls\"}}]}\n\n",
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\"}\"}}]}\n\n",
      "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n", "data: [DONE]\n\n"};
}

TEST(OpenAiBackend, SlowFirstTokenStillArrives) {
  LoopbackServer server([](const RecordedRequest&) { return sse(sse_answer(), 0); });
  std::jthread releaser([&] {
    while (server.requests().empty()) std::this_thread::yield();
    server.release();
  });
  auto completion = openai(server.url())->complete(request(), {}, {});
  ASSERT_TRUE(completion) << completion.error().describe();
  EXPECT_EQ(completion->text, "{\"command\": \"ls\"}");
}

TEST(OpenAiBackend, FirstTokenTooSlowIsARecoverableTimeout) {
  LoopbackServer server([](const RecordedRequest&) { return sse(sse_answer(), 0); });
  BackendSpec spec;
  spec.type = BackendType::openai;
  spec.endpoint = server.url();
  spec.timeout = std::chrono::milliseconds{150};
  auto completion = (*create_backend(spec))->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::timeout);
}

TEST(OpenAiBackend, ApiKeyFromTheEnvironmentIsSentButNeverShown) {
  LoopbackServer server([](const RecordedRequest&) {
    ScriptedResponse r;
    r.status = 401;
    r.chunks = {R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})"};
    return r;
  });
  ::setenv("CMDAI_TEST_KEY", "sk-very-secret", 1);
  BackendSpec spec;
  spec.type = BackendType::openai;
  spec.endpoint = server.url();
  spec.api_key_env = "CMDAI_TEST_KEY";
  auto completion = (*create_backend(spec))->complete(request(), {}, {});
  ::unsetenv("CMDAI_TEST_KEY");
  ASSERT_FALSE(completion);
  EXPECT_EQ(server.requests().at(0).headers.at("authorization"), "Bearer sk-very-secret");
  EXPECT_EQ(completion.error().describe().find("sk-very-secret"), std::string::npos);
  EXPECT_NE(completion.error().hint.find("api key"), std::string::npos);
}

TEST(OpenAiBackend, ServerWithoutResponseFormatGetsARetryWithoutIt) {
  LoopbackServer server([](const RecordedRequest& r) {
    if (r.body.find("response_format") != std::string::npos) {
      ScriptedResponse bad;
      bad.status = 400;
      bad.chunks = {R"({"error":{"message":"response_format is not supported"}})"};
      return bad;
    }
    return sse(sse_answer());
  });
  auto completion = openai(server.url())->complete(request(), {}, {});
  ASSERT_TRUE(completion) << completion.error().describe();
  EXPECT_EQ(server.requests().size(), 2U);
}

TEST(OpenAiBackend, StreamEndingWithoutDoneIsAnError) {
  LoopbackServer server([](const RecordedRequest&) {
    auto chunks = sse_answer();
    chunks.resize(1);
    return sse(chunks);
  });
  auto completion = openai(server.url())->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
}

TEST(OpenAiBackend, BaseUrl) {
  EXPECT_EQ(openai_base_url("http://h:8000"), "http://h:8000/v1");
  EXPECT_EQ(openai_base_url("http://h:8000/v1/"), "http://h:8000/v1");
}

}  // namespace
}  // namespace cmdai::llm
