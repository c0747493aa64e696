#include "llm/llama/llama_backend.h"

namespace cmdai::llm {

bool llama_available() { return false; }

Result<std::unique_ptr<Backend>> make_llama_backend(const LlamaOptions&) {
  return fail(ErrorCode::unavailable, "this cmdai was built without llama.cpp",
              "run ./scripts/setup and rebuild, or use --backend ollama|openai|rules");
}

}  // namespace cmdai::llm
