#pragma once
// The OpenAI-compatible backend: vLLM, MLX (mlx_lm.server), llama-server,
// LM Studio and any server speaking POST /v1/chat/completions.
//
// Streams with SSE (stream: true, "data:" lines ending in [DONE]); asks for
// the output schema with response_format json_schema, and when a server
// rejects that field, retries once without it (the generation module's
// tolerant parser then extracts the JSON). Health: GET /health, then
// GET /v1/models. The API key is sent as "Authorization: Bearer" and never
// appears in errors or logs.

#include <memory>

#include "llm/backend.h"
#include "llm/remote_options.h"

namespace cmdai::llm {

std::unique_ptr<Backend> make_openai_backend(const RemoteOptions& options);

// The "/v1" base of an endpoint given with or without it.
std::string openai_base_url(std::string_view endpoint);

}  // namespace cmdai::llm
