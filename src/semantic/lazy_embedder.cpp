#include "semantic/lazy_embedder.h"

namespace cmdai::semantic {

Result<void> LazyEmbedder::load() {
  if (m_loaded) return {};
  if (m_failure) return fail(*m_failure);
  auto loaded = m_load();
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
