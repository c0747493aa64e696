#pragma once
// ServerEmbedder: embeddings from a model server (Ollama's /api/embed, or
// /v1/embeddings of an OpenAI-compatible server such as llama-server run
// with --embeddings), for when no local embedding model is installed.
//
// model_id is "<type>:<model>" ("ollama:nomic-embed-text"), so the
// embedding cache and the vector index keep its vectors apart from any
// other model's: switching model never mixes them (search then says to
// reindex). Vectors are L2-normalised here, whatever the server does.
//
// Used by one thread at a time; each embed() is one HTTP request per batch.

#include <chrono>
#include <memory>
#include <string>

#include "core/entities.h"
#include "core/error.h"
#include "semantic/embedder.h"

namespace cmdai::semantic {

struct EmbeddingServer {
  BackendType type = BackendType::ollama;  // ollama, or openai/vllm/mlx
  std::string endpoint;
  std::string model;
  bool operator==(const EmbeddingServer&) const = default;
};

// How long opening may take: a dead or hung server must not hold up a
// search (it goes on with words and concepts).
inline constexpr std::chrono::milliseconds k_server_open_timeout{3'000};

class ServerEmbedder final : public Embedder {
 public:
  // Embeds one short text to learn the vector size (and that the server
  // answers), within timeout. Errors: unavailable, timeout,
  // model_output_invalid (see llm/server_embeddings.h).
  static Result<std::unique_ptr<ServerEmbedder>> open(const EmbeddingServer& server,
                                                      std::chrono::milliseconds timeout = k_server_open_timeout);

  std::string model_id() const override;
  std::size_t dimensions() const override { return m_dimensions; }
  // Errors: invalid_argument for text that is not UTF-8 or holds NUL; the
  // server's errors; model_output_invalid for vectors of another size.
  Result<std::vector<Vector>> embed(std::span<const std::string> texts) override;

 private:
  ServerEmbedder(EmbeddingServer server, std::size_t dimensions)
      : m_server(std::move(server)), m_dimensions(dimensions) {}

  EmbeddingServer m_server;
  std::size_t m_dimensions;
};

}  // namespace cmdai::semantic
