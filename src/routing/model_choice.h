#pragma once
// Which model to use on a server that lists several, for an instance that
// names none (a discovered server, or a configured one without `model`):
//   1. a code model (a name with "coder" or "code": qwen2.5-coder,
//      deepseek-coder, codellama, starcoder, codegemma ...),
//   2. else an instruct/chat model ("instruct", "chat", "-it"),
//   3. else any other model,
// never an embedding-only one (marked so by the server, or named like one:
// embed, minilm, bge, e5-, gte-, bert, rerank). Within a tier the server's
// own order decides (Ollama lists the most recently pulled first).
// Embedding search wants the opposite: the first embedding-only model.
//
// Names are compared case-insensitively, by their last path component
// (llama-server lists its model as a file path).

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cmdai::routing {

enum class ModelKind { code, instruct, other, embedding };

// marked_embedding: the server says this model only embeds.
ModelKind model_kind(std::string_view name, bool marked_embedding = false);

struct ModelChoice {
  std::string model;
  std::string reason;  // "a code model (first of 2 among 3 listed)"
};

// nullopt when the list holds no model that can answer a chat request.
std::optional<ModelChoice> choose_model(std::span<const std::string> models,
                                        std::span<const std::string> embedding_models);
// nullopt when no listed model is embedding-only.
std::optional<ModelChoice> choose_embedding_model(std::span<const std::string> models,
                                                  std::span<const std::string> embedding_models);

}  // namespace cmdai::routing
