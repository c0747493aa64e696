// `cmdai --no-stream` end to end: server backends are asked for one whole
// answer (`"stream": false`) and only the final result is printed. Against a
// scripted OpenAI-compatible server and the Ollama wire replay (where the
// request body can be read back), and against a real llama-server.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"
#include "tools/llama_server.h"
#include "tools/loopback_server.h"
#include "tools/ollama_wire.h"
#include "tools/tiny_model.h"

namespace cmdai::llm {
namespace {

namespace wire = testing::ollama_wire;
using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

constexpr const char* k_ollama_model = "qwen2.5-coder:1.5b";

testing::ProcessResult cmdai(const testing::TempDir& home, std::vector<std::string> args) {
  return testing::run_cmdai(home.path().string(), std::move(args));
}

// The body of the first chat request the server saw.
nlohmann::json chat_body(const LoopbackServer& server, const std::string& path) {
  for (const auto& r : server.requests()) {
    if (r.path == path) return nlohmann::json::parse(r.body, nullptr, false);
  }
  return nullptr;
}

// An OpenAI-compatible server: health and models for the health check, and
// a chat answer in the shape the request asked for.
ScriptedResponse openai_answer(const RecordedRequest& r) {
  if (r.path == "/health") return wire::json_body(200, R"({"status":"ok"})");
  if (r.path == "/v1/models") return wire::json_body(200, R"({"object":"list","data":[{"id":"tiny"}]})");
  const auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_object() && body.value("stream", true)) {
    ScriptedResponse sse;
    sse.content_type = "text/event-stream";
    sse.chunks = {
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"{\\\"command\\\": \\\"ls -la\\\", "
        "\\\"explanation\\\": \\\"Lists files.\\\"}\"}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n", "data: [DONE]\n\n"};
    return sse;
  }
  return wire::json_body(
      200, R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"tiny","choices":[{"index":0,)"
           R"("message":{"role":"assistant","content":"{\"command\": \"ls -la\", \"explanation\": \"Lists files.\"}"},)"
           R"("finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":12,"total_tokens":32}})");
}

TEST(NoStreamCli, OpenAiServerIsAskedForOneWholeAnswer) {
  LoopbackServer server(openai_answer);
  testing::TempDir home;
  auto run =
      cmdai(home, {"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream", "list files"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("ls -la\n", 0), 0U) << run.out;
  EXPECT_EQ(run.err.find("\r"), std::string::npos) << "no progress line: " << run.err;
  const auto body = chat_body(server, "/v1/chat/completions");
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["stream"], false);
}

TEST(NoStreamCli, WithoutTheFlagTheServerStreams) {
  LoopbackServer server(openai_answer);
  testing::TempDir home;
  auto run = cmdai(home, {"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "list files"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("ls -la\n", 0), 0U) << run.out;
  EXPECT_EQ(chat_body(server, "/v1/chat/completions")["stream"], true);
}

// Ollama's non-streamed /api/chat answer (docs/api.md, "Chat request (No
// streaming)"): one object with done: true, framed by Content-Length.
ScriptedResponse ollama_answer(const RecordedRequest& r) {
  if (r.path == "/api/tags") return wire::json_body(200, wire::tags_body());
  if (r.path == "/api/show") return wire::json_body(200, wire::show_body());
  const auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_object() && body.value("stream", true)) return wire::ndjson(wire::answer_chunks(k_ollama_model));
  return wire::json_body(
      200, std::string(R"({"model":")") + k_ollama_model +
               R"(","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant","content":)"
               R"("{\"command\": \"ls -la\", \"explanation\": \"Lists files.\"}"},"done_reason":"stop","done":true,)"
               R"("total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,)"
               R"("prompt_eval_duration":383809000,"eval_count":12,"eval_duration":4799921000})");
}

TEST(NoStreamCli, OllamaIsAskedForOneWholeAnswer) {
  LoopbackServer server(ollama_answer);
  testing::TempDir home;
  auto run = cmdai(home, {"--backend", "ollama", "--endpoint", server.url(), "--model", k_ollama_model, "--no-fallback",
                          "--no-stream", "--json", "list files"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto out = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << run.out;
  EXPECT_EQ(out["command"], "ls -la");
  EXPECT_EQ(out["tokens_generated"], 12) << "eval_count of the single answer";
  const auto body = chat_body(server, "/api/chat");
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["stream"], false);
  EXPECT_EQ(body["format"]["required"][0], "command");
}

TEST(NoStreamCli, RealLlamaServerAnswersAWholeJsonObject) {
  const auto model = testing::tiny_model("chat");
  if (model.empty() || !std::filesystem::exists(CMDAI_LLAMA_SERVER)) GTEST_SKIP() << "built without llama.cpp";
  testing::TempDir dir;
  testing::LlamaServer server(model, dir / "server.log");
  ASSERT_TRUE(server.ready()) << "llama-server did not start";
  testing::TempDir home;
  auto run = cmdai(home, {"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream", "--json",
                          "list files"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto out = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << run.out;
  EXPECT_TRUE(out["command"].is_string());
  EXPECT_FALSE(out["command"].get<std::string>().empty());
  EXPECT_GT(out["tokens_generated"].get<int>(), 1) << "usage.completion_tokens of the whole answer";
}

}  // namespace
}  // namespace cmdai::llm
