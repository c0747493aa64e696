#pragma once
// A scripted OpenAI-compatible server's answers, as llama-server and vLLM
// send them: GET /health, GET /v1/models, and a non-streamed
// POST /v1/chat/completions whose message is cmdai's answer JSON. Used with
// LoopbackServer by the tests that run `cmdai --backend openai`.

#include <string>

#include <nlohmann/json.hpp>

#include "tools/loopback_server.h"
#include "tools/ollama_wire.h"

namespace cmdai::testing::openai_wire {

// The reply to any request of a server whose model answers `command`.
inline ScriptedResponse command_answer(const RecordedRequest& r, const std::string& command,
                                       const std::string& explanation = "x") {
  using ollama_wire::json_body;
  if (r.path == "/health") return json_body(200, R"({"status":"ok"})");
  if (r.path == "/v1/models") return json_body(200, R"({"object":"list","data":[{"id":"tiny"}]})");
  const std::string content = nlohmann::json{{"command", command}, {"explanation", explanation}}.dump();
  return json_body(
      200,
      nlohmann::json{
          {"choices",
           {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}},
          {"usage", {{"completion_tokens", 90}}}}
          .dump());
}

}  // namespace cmdai::testing::openai_wire
