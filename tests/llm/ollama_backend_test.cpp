// The Ollama backend against a loopback server replaying Ollama's wire
// format: streaming, format schema, tags/show, error objects, a stream
// without done:true, cancellation and a stalled server.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "generation/output_parser.h"
#include "llm/backend_factory.h"
#include "llm/ollama_backend.h"
#include "tools/ollama_wire.h"

namespace cmdai::llm {
namespace {

namespace wire = testing::ollama_wire;
using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

constexpr const char* k_model = "qwen2.5-coder:1.5b";

std::unique_ptr<Backend> ollama(const LoopbackServer& server, std::string model = k_model) {
  BackendSpec spec;
  spec.type = BackendType::ollama;
  spec.endpoint = server.url() + "/";
  spec.model = std::move(model);
  spec.timeout = std::chrono::milliseconds{5'000};
  spec.api_key_env.clear();
  auto backend = create_backend(spec);
  EXPECT_TRUE(backend);
  return std::move(*backend);
}

CompletionRequest request() {
  CompletionRequest r;
  r.messages = {{"system", "be brief"}, {"user", "list files"}};
  r.json_schema = std::string(generation::output_json_schema());
  r.max_tokens = 99;
  return r;
}

TEST(OllamaBackend, StreamsTheChatAndSendsTheSchema) {
  LoopbackServer server([](const RecordedRequest&) { return wire::ndjson(wire::answer_chunks(k_model)); });
  auto backend = ollama(server);
  std::vector<std::string> pieces;
  auto completion = backend->complete(request(), [&](std::string_view p) { pieces.emplace_back(p); }, {});
  ASSERT_TRUE(completion) << completion.error().describe();
  EXPECT_EQ(completion->text, R"({"command": "ls -la", "explanation": "Lists files."})");
  EXPECT_EQ(pieces.size(), 6U);
  EXPECT_EQ(completion->tokens_generated, 7U) << "eval_count of the done line";
  auto parsed = generation::parse_model_output(completion->text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->command, "ls -la");

  const auto sent = server.requests().at(0);
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/api/chat");
  auto body = nlohmann::json::parse(sent.body);
  EXPECT_EQ(body["model"], k_model);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["format"]["required"][0], "command");
  EXPECT_EQ(body["options"]["num_predict"], 99);
  EXPECT_EQ(body["messages"][1]["content"], "list files");
}

TEST(OllamaBackend, ModelNotPulledTellsTheUserWhatToRun) {
  LoopbackServer server([](const RecordedRequest&) { return wire::json_body(404, wire::not_found_body("llama3.2")); });
  auto completion = ollama(server, "llama3.2")->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
  EXPECT_EQ(completion.error().hint, "run: ollama pull llama3.2");
  EXPECT_NE(completion.error().message.find("not installed"), std::string::npos);
}

TEST(OllamaBackend, ErrorObjectMidStreamIsReported) {
  LoopbackServer server([](const RecordedRequest&) {
    auto chunks = wire::answer_chunks(k_model, false);
    chunks.resize(2);
    chunks.push_back("{\"error\":\"an unknown error was encountered while running the model\"}\n");
    return wire::ndjson(chunks);
  });
  auto completion = ollama(server)->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
  EXPECT_NE(completion.error().message.find("unknown error was encountered"), std::string::npos);
}

TEST(OllamaBackend, StreamWithoutDoneIsAnError) {
  LoopbackServer server([](const RecordedRequest&) { return wire::ndjson(wire::answer_chunks(k_model, false)); });
  auto completion = ollama(server)->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
  EXPECT_NE(completion.error().message.find("before the answer was done"), std::string::npos);
}

TEST(OllamaBackend, ConnectionDroppedMidStreamIsUnavailable) {
  LoopbackServer server([](const RecordedRequest&) {
    auto r = wire::ndjson(wire::answer_chunks(k_model, false));
    r.close_early = true;
    return r;
  });
  auto completion = ollama(server)->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
}

TEST(OllamaBackend, GarbageLineIsAClearError) {
  LoopbackServer server([](const RecordedRequest&) { return wire::ndjson({"<html>502 Bad Gateway</html>\n"}); });
  auto completion = ollama(server)->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::corruption);
}

TEST(OllamaBackend, CancelDuringAStalledStream) {
  LoopbackServer server([](const RecordedRequest&) {
    auto r = wire::ndjson(wire::answer_chunks(k_model));
    r.hold_after = 2;
    return r;
  });
  std::stop_source stop;
  int pieces = 0;
  auto completion = ollama(server)->complete(
      request(),
      [&](std::string_view) {
        if (++pieces == 2) stop.request_stop();
      },
      stop.get_token());
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::cancelled);
  EXPECT_EQ(pieces, 2);
}

TEST(OllamaBackend, StalledStreamHitsTheIdleTimeout) {
  LoopbackServer server([](const RecordedRequest&) {
    auto r = wire::ndjson(wire::answer_chunks(k_model));
    r.hold_after = 1;
    return r;
  });
  BackendSpec spec;
  spec.type = BackendType::ollama;
  spec.endpoint = server.url();
  spec.model = k_model;
  spec.timeout = std::chrono::milliseconds{150};
  auto completion = (*create_backend(spec))->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::timeout);
}

TEST(OllamaBackend, HealthListsModelsFromTags) {
  LoopbackServer server([](const RecordedRequest&) { return wire::json_body(200, wire::tags_body()); });
  auto health = ollama(server)->check_health({});
  ASSERT_TRUE(health) << health.error().describe();
  EXPECT_TRUE(health->healthy);
  EXPECT_EQ(health->models, std::vector<std::string>{k_model});
  EXPECT_EQ(server.requests().at(0).path, "/api/tags");

  auto missing = ollama(server, "llama3.2")->check_health({});
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->healthy);
  EXPECT_NE(missing->detail.find("ollama pull llama3.2"), std::string::npos);
}

TEST(OllamaBackend, ShowGivesTheContextLength) {
  LoopbackServer server([](const RecordedRequest& r) {
    return r.path == "/api/show" ? wire::json_body(200, wire::show_body()) : wire::json_body(404, "{}");
  });
  RemoteOptions options;
  options.endpoint = server.url();
  options.model = k_model;
  auto length = ollama_context_length(options, {});
  ASSERT_TRUE(length) << length.error().describe();
  EXPECT_EQ(length->value_or(0), 32768);
  EXPECT_EQ(nlohmann::json::parse(server.requests().at(0).body)["model"], k_model);
}

TEST(OllamaBackend, ServerNotRunningIsUnavailable) {
  std::string url;
  {
    LoopbackServer server([](const RecordedRequest&) { return ScriptedResponse{}; });
    url = server.url();
  }
  BackendSpec spec;
  spec.type = BackendType::ollama;
  spec.endpoint = url;
  spec.model = k_model;
  auto completion = (*create_backend(spec))->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
}

TEST(OllamaBackend, NoModelNameIsAClearError) {
  LoopbackServer server([](const RecordedRequest&) { return ScriptedResponse{}; });
  auto completion = ollama(server, "")->complete(request(), {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::invalid_argument);
}

TEST(BackendFactory, RejectsANonHttpEndpoint) {
  BackendSpec spec;
  spec.type = BackendType::openai;
  spec.endpoint = "ftp://x";
  auto backend = create_backend(spec);
  ASSERT_FALSE(backend);
  EXPECT_EQ(backend.error().code, ErrorCode::invalid_argument);
}

TEST(BackendFactory, BuildsEveryType) {
  for (auto type :
       {BackendType::rules, BackendType::ollama, BackendType::openai, BackendType::vllm, BackendType::mlx}) {
    BackendSpec spec;
    spec.type = type;
    auto backend = create_backend(spec);
    ASSERT_TRUE(backend) << to_string(type);
    EXPECT_EQ((*backend)->type(), type);
  }
}

}  // namespace
}  // namespace cmdai::llm
