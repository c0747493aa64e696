#pragma once
// Creates Backend objects from a plain description, so routing never needs
// to know each implementation's constructor.

#include <chrono>
#include <memory>
#include <string>

#include "core/entities.h"
#include "core/error.h"
#include "llm/backend.h"

namespace cmdai::llm {

struct BackendSpec {
  std::string name;  // instance name reported as backend_used
  BackendType type = BackendType::rules;
  std::string endpoint;  // http(s) URL for server backends
  std::string model;     // model name, or a GGUF path for llama
  std::string api_key;   // optional; never logged
  // Read when api_key is empty (openai, vllm, mlx, ollama); empty: none.
  std::string api_key_env = "OPENAI_API_KEY";
  std::chrono::milliseconds timeout{30'000};  // server backends: no byte for this long ends a request
  int threads = 0;                            // llama: 0 means one per physical core
  bool stream = true;                         // server backends: stream tokens or wait for the whole answer
};

// Builds rules, llama (in-process), ollama, and openai/vllm/mlx (all three
// speak the OpenAI-compatible API). Errors: unavailable when the backend
// cannot be built here (no llama.cpp, model file missing), invalid_argument
// for a bad spec (a server endpoint that is not http(s)).
Result<std::unique_ptr<Backend>> create_backend(const BackendSpec& spec);

}  // namespace cmdai::llm
