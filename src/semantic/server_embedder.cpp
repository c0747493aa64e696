#include "semantic/server_embedder.h"

#include "llm/remote_options.h"
#include "llm/server_embeddings.h"

namespace cmdai::semantic {
namespace {

// Texts per request: large enough for reindex to be quick, small enough
// that one request stays well inside the timeout on a laptop.
constexpr std::size_t k_batch = 64;
constexpr std::chrono::milliseconds k_embed_timeout{60'000};

llm::RemoteOptions remote(const EmbeddingServer& server, std::chrono::milliseconds timeout) {
  llm::RemoteOptions options;
  options.type = server.type;
  options.endpoint = server.endpoint;
  options.model = server.model;
  options.connect_timeout = std::min(timeout, std::chrono::milliseconds{1'000});
  options.idle_timeout = timeout;
  return options;
}

}  // namespace

Result<std::unique_ptr<ServerEmbedder>> ServerEmbedder::open(const EmbeddingServer& server,
                                                             std::chrono::milliseconds timeout) {
  const std::vector<std::string> probe{"ls"};
  auto vectors = llm::server_embeddings(remote(server, timeout), probe, {});
  if (!vectors) return fail(vectors.error());
  return std::unique_ptr<ServerEmbedder>(new ServerEmbedder(server, vectors->front().size()));
}

std::string ServerEmbedder::model_id() const { return std::string(to_string(m_server.type)) + ":" + m_server.model; }

Result<std::vector<Vector>> ServerEmbedder::embed(std::span<const std::string> texts) {
  for (const auto& text : texts) CMDAI_TRY(check_embeddable(text));
  std::vector<Vector> out;
  out.reserve(texts.size());
  for (std::size_t from = 0; from < texts.size(); from += k_batch) {
    const auto batch = texts.subspan(from, std::min(k_batch, texts.size() - from));
    auto vectors = llm::server_embeddings(remote(m_server, k_embed_timeout), batch, {});
    if (!vectors) return fail(vectors.error());
    for (auto& vector : *vectors) {
      if (vector.size() != m_dimensions) {
        return fail(ErrorCode::model_output_invalid, model_id() + " returned " + std::to_string(vector.size()) +
                                                         " dimensions instead of " + std::to_string(m_dimensions));
      }
      normalize_l2(vector);
      out.push_back(std::move(vector));
    }
  }
  return out;
}

}  // namespace cmdai::semantic
