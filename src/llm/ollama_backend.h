#pragma once
// The Ollama backend, on Ollama's native API: POST /api/chat with
// stream: true (one JSON object per line, the last with "done": true) and
// "format" set to the output JSON schema; GET /api/tags for health and the
// model list (BERT-family models marked embedding-only); POST /api/show for
// the model's context length. Embeddings: server_embeddings.h. Ollama's error
// objects ({"error": "..."}) become clear messages; a model that is not
// pulled tells the user to run `ollama pull NAME`.

#include <memory>
#include <optional>

#include "llm/backend.h"
#include "llm/remote_options.h"

namespace cmdai::llm {

std::unique_ptr<Backend> make_ollama_backend(const RemoteOptions& options);

// The context length POST /api/show reports for the model, when it does.
// Errors as complete(): unavailable, timeout, cancelled.
Result<std::optional<int>> ollama_context_length(const RemoteOptions& options, std::stop_token stop);

}  // namespace cmdai::llm
