#pragma once
// The in-process llama.cpp backend. Built only when llama.cpp is available
// (cmake target cmdai_llama); otherwise make_llama_backend() reports that
// this build has no in-process inference.

#include <filesystem>
#include <memory>

#include "core/error.h"
#include "llm/backend.h"

namespace cmdai::llm {

struct LlamaOptions {
  std::filesystem::path model_path;  // a GGUF file
  int threads = 0;                   // 0: one per physical core
  int context_length = 2048;
  unsigned seed = 0xC0FFEE;  // fixed for reproducible output
};

// True when this binary was built with llama.cpp.
bool llama_available();

Result<std::unique_ptr<Backend>> make_llama_backend(const LlamaOptions& options);

}  // namespace cmdai::llm
