#pragma once
// The in-process llama.cpp backend. Built only when llama.cpp is available
// (cmake target cmdai_llama); otherwise make_llama_backend() reports that
// this build has no in-process inference.
//
// The model file is memory-mapped on the first request (reported through
// CompletionRequest::on_progress) and stays loaded for the life of the
// process: every backend made for the same path shares it. The prompt goes
// through the model's own chat template (ChatML when it has none). With a
// json_schema in the request, decoding is constrained by cmdai's answer
// grammar (llm/command_grammar.h), so the text is always the JSON object,
// and generation stops at its closing brace. Without one, decoding is free
// (used by benchmarks) and stops at end-of-generation or max_tokens.
//
// Cancellation: the stop token is checked between tokens and inside
// llama_decode (abort callback), so a stop request ends a request within
// one token's time.

#include <filesystem>
#include <memory>

#include "core/error.h"
#include "llm/backend.h"

namespace cmdai::llm {

struct LlamaOptions {
  std::filesystem::path model_path;  // a GGUF file
  std::string name = "llama";        // instance name
  int threads = 0;                   // 0: one per physical core (1 on machines with <= 2 cores)
  int context_length = 2048;
  unsigned seed = 0xC0FFEE;  // fixed for reproducible output
};

// True when this binary was built with llama.cpp.
bool llama_available();

// Errors: unavailable (no llama.cpp in this build, model file missing).
// Loading errors (not a GGUF file) surface from the first complete().
Result<std::unique_ptr<Backend>> make_llama_backend(const LlamaOptions& options);

// Physical CPU cores (not hyper-threads); at least 1.
int physical_core_count();

}  // namespace cmdai::llm
