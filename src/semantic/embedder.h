#pragma once
// Embedder: text -> a fixed-length, L2-normalised float vector whose dot
// product with another measures how alike the two texts are.
//
// Implementations: the llama.cpp embedder for BERT-family GGUF models
// (semantic/llama/llama_embedder.h) and NgramEmbedder (ngram_embedder.h), a
// deterministic character n-gram hasher used to exercise the pipeline in
// tests. An Embedder is used by one thread at a time.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cmdai::semantic {

using Vector = std::vector<float>;

class Embedder {
 public:
  virtual ~Embedder() = default;

  // Names the model and its settings; two embedders with the same id give
  // the same vector for the same text (the embedding cache relies on it).
  virtual std::string model_id() const = 0;
  virtual std::size_t dimensions() const = 0;

  // One unit-length vector of dimensions() floats per text, in order.
  // Errors: invalid_argument for text that is not valid UTF-8 or contains
  // NUL; unavailable/internal when the model fails. Nothing is returned
  // partially: on error no vector is returned.
  virtual Result<std::vector<Vector>> embed(std::span<const std::string> texts) = 0;

  // The caller will embed soon: an embedder that loads its model on first
  // use may start loading it now, off the caller's thread, so the load
  // overlaps the caller's other work. Does nothing by default.
  virtual void prefetch() {}
};

// Scales v to unit length in place; leaves an all-zero vector as it is.
void normalize_l2(std::span<float> v);

// Checks text before it reaches a model: valid UTF-8, no NUL bytes.
Result<void> check_embeddable(std::string_view text);

}  // namespace cmdai::semantic
