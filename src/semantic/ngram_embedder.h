#pragma once
// NgramEmbedder: a deterministic, model-free Embedder for tests and pipeline
// checks. It hashes lower-cased character 3-grams and whole words into
// `dimensions` buckets with signed weights and L2-normalises the result.
//
// It is NOT a semantic model: two texts are close only when they share
// spelling (which does make it tolerant of typos). It knows nothing of
// meaning; "source control" and "git log" are unrelated to it. Real
// semantic quality needs a real embedding model (llama_embedder.h).

#include "semantic/embedder.h"

namespace cmdai::semantic {

class NgramEmbedder final : public Embedder {
 public:
  explicit NgramEmbedder(std::size_t dimensions = 384) : m_dimensions(dimensions) {}

  std::string model_id() const override;
  std::size_t dimensions() const override { return m_dimensions; }
  Result<std::vector<Vector>> embed(std::span<const std::string> texts) override;

  // How many texts embed() has turned into vectors (tests count cache misses).
  std::size_t texts_embedded() const { return m_texts_embedded; }

 private:
  Vector embed_one(std::string_view text) const;

  std::size_t m_dimensions;
  std::size_t m_texts_embedded = 0;
};

}  // namespace cmdai::semantic
