#pragma once
// Embeddings from a model server, over the shared HTTP transport:
//   - Ollama: POST /api/embed {"model", "input": [texts]} -> {"embeddings": [[...], ...]}
//   - OpenAI-compatible (openai, vllm, mlx; llama-server started with
//     --embeddings): POST /v1/embeddings {"model", "input": [texts]} ->
//     {"data": [{"index": i, "embedding": [...]}, ...]}
// The vectors come back in the order of the texts, as the server made them
// (normalising is the caller's business).

#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "core/error.h"
#include "llm/remote_options.h"

namespace cmdai::llm {

// Errors: unavailable (server down, unknown model - with what to do),
// timeout (RemoteOptions::idle_timeout, connect_timeout), cancelled,
// model_output_invalid (a reply without one equal-length vector per text).
Result<std::vector<std::vector<float>>> server_embeddings(const RemoteOptions& options,
                                                          std::span<const std::string> texts, std::stop_token stop);

}  // namespace cmdai::llm
