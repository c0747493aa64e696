#include "llm/backend_factory.h"

#include <cstdlib>

#include "llm/llama/llama_backend.h"
#include "llm/ollama_backend.h"
#include "llm/openai_backend.h"
#include "llm/rules_backend.h"

namespace cmdai::llm {
namespace {

Result<RemoteOptions> remote_options(const BackendSpec& spec) {
  if (!spec.endpoint.empty() && !spec.endpoint.starts_with("http://") && !spec.endpoint.starts_with("https://")) {
    return fail(ErrorCode::invalid_argument, "the endpoint '" + spec.endpoint + "' is not an http(s) URL",
                "use e.g. --endpoint http://127.0.0.1:8080");
  }
  RemoteOptions options;
  options.name = spec.name;
  options.type = spec.type;
  options.endpoint = spec.endpoint;
  options.model = spec.model;
  options.api_key = spec.api_key;
  if (options.api_key.empty() && !spec.api_key_env.empty()) {
    if (const char* key = std::getenv(spec.api_key_env.c_str())) options.api_key = key;
  }
  options.idle_timeout = spec.timeout;
  options.stream = spec.stream;
  return options;
}

}  // namespace

Result<std::unique_ptr<Backend>> create_backend(const BackendSpec& spec) {
  switch (spec.type) {
    case BackendType::rules: return std::unique_ptr<Backend>(std::make_unique<RulesBackend>());
    case BackendType::llama: {
      LlamaOptions options;
      options.model_path = spec.model;
      options.threads = spec.threads;
      if (!spec.name.empty()) options.name = spec.name;
      return make_llama_backend(options);
    }
    case BackendType::ollama: {
      auto options = remote_options(spec);
      if (!options) return fail(options.error());
      return make_ollama_backend(*options);
    }
    case BackendType::openai:
    case BackendType::vllm:
    case BackendType::mlx: {
      auto options = remote_options(spec);
      if (!options) return fail(options.error());
      if (options->endpoint.empty()) {
        // The usual local ports: vLLM 8000, mlx_lm.server 8080, llama-server 8080.
        options->endpoint = spec.type == BackendType::vllm ? "http://127.0.0.1:8000" : "http://127.0.0.1:8080";
      }
      return make_openai_backend(*options);
    }
  }
  return fail(ErrorCode::unavailable,
              "the " + std::string(to_string(spec.type)) + " backend is not available in this build");
}

}  // namespace cmdai::llm
