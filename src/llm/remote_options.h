#pragma once
// Settings every server-backed backend (ollama, openai, vllm, mlx) shares.

#include <chrono>
#include <string>

#include "core/entities.h"

namespace cmdai::llm {

struct RemoteOptions {
  std::string name;  // instance name reported as backend_used
  BackendType type = BackendType::openai;
  std::string endpoint;  // base URL, e.g. http://127.0.0.1:11434 or http://host:8000/v1
  std::string model;     // model name as the server knows it; may be empty for openai
  std::string api_key;   // sent as a bearer token; never logged
  bool stream = true;    // stream tokens (SSE / NDJSON) or wait for the whole answer
  std::chrono::milliseconds connect_timeout{3'000};
  std::chrono::milliseconds idle_timeout{30'000};  // no byte for this long ends the request
};

}  // namespace cmdai::llm
