#include "semantic/lazy_embedder.h"

#include <exception>

namespace cmdai::semantic {

// A load on the prefetch thread must not end the process with an
// exception nobody can catch: it becomes the load's error.
Result<std::unique_ptr<Embedder>> LazyEmbedder::run_load() {
  try {
    return m_load();
  } catch (const std::exception&) {
    return fail(ErrorCode::unavailable, "the embedding model " + m_model_id + " failed to load",
                "check free memory, or set CMDAI_EMBEDDING_MODEL=none");
  }
}

void LazyEmbedder::prefetch() {
  if (m_loaded || m_failure || m_loading.joinable()) return;
  m_loading = std::jthread([this] { m_prefetched = run_load(); });
}

Result<void> LazyEmbedder::load() {
  if (m_loaded) return {};
  if (m_failure) return fail(*m_failure);
  if (m_loading.joinable()) m_loading.join();
  auto loaded = m_prefetched ? std::move(*m_prefetched) : run_load();
  m_prefetched.reset();
  if (loaded && ((*loaded)->model_id() != m_model_id || (*loaded)->dimensions() != m_dimensions)) {
    loaded = fail(ErrorCode::internal, "the embedding model loaded as " + (*loaded)->model_id() + ", not " + m_model_id,
                  "run 'cmdai history reindex'");
  }
  if (!loaded) {
    m_failure = loaded.error();
    return fail(loaded.error());
  }
  m_loaded = std::move(*loaded);
  return {};
}

Result<std::vector<Vector>> LazyEmbedder::embed(std::span<const std::string> texts) {
  if (texts.empty()) return std::vector<Vector>{};
  CMDAI_TRY(load());
  return m_loaded->embed(texts);
}

}  // namespace cmdai::semantic
