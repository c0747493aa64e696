#include "llm/backend_factory.h"

#include "llm/llama/llama_backend.h"
#include "llm/rules/rules_backend.h"

namespace cmdai::llm {

Result<std::unique_ptr<Backend>> create_backend(const BackendSpec& spec) {
  switch (spec.type) {
    case BackendType::rules: return std::unique_ptr<Backend>(std::make_unique<RulesBackend>());
    case BackendType::llama: {
      LlamaOptions options;
      options.model_path = spec.model;
      options.threads = spec.threads;
      return make_llama_backend(options);
    }
    case BackendType::ollama:
    case BackendType::openai:
    case BackendType::vllm:
    case BackendType::mlx: break;
  }
  return fail(ErrorCode::unavailable,
              "the " + std::string(to_string(spec.type)) + " backend is not available in this build");
}

}  // namespace cmdai::llm
