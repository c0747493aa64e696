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
  std::chrono::milliseconds timeout{30'000};
  int threads = 0;  // llama: 0 means one per physical core
};

// Errors: unavailable when the backend cannot be built here (no llama.cpp,
// model file missing, not yet supported), invalid_argument for a bad spec.
Result<std::unique_ptr<Backend>> create_backend(const BackendSpec& spec);

}  // namespace cmdai::llm
