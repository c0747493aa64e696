#pragma once
// The llama.cpp Embedder for BERT-family GGUF embedding models (MiniLM,
// BGE-small, ... : 384 dimensions typically): mean pooling over the tokens,
// L2-normalised, several texts per decode call.
//
// Built only with llama.cpp (cmake target cmdai_llama); otherwise
// make_llama_embedder() reports that this build has no in-process models.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "core/error.h"
#include "semantic/embedder.h"

namespace cmdai::semantic {

struct LlamaEmbedderOptions {
  std::filesystem::path model_path;  // a GGUF embedding model
  int threads = 1;                   // one thread: no worker threads spinning next to other work
  std::size_t max_tokens = 256;      // per text; longer texts are cut (history entries are short)
  std::size_t batch_tokens = 2048;   // tokens per decode call
  std::size_t max_sequences = 32;    // texts per decode call
};

bool llama_embeddings_available();

// Errors: unavailable (no llama.cpp in this build, or the model cannot be
// loaded), invalid_argument (not an embedding model: it has a decoder).
Result<std::unique_ptr<Embedder>> make_llama_embedder(const LlamaEmbedderOptions& options);

// What make_llama_embedder's embedder will report as model_id() and
// dimensions(), read from the GGUF file's header alone (no weights, no
// context: a few milliseconds instead of the model's load). Errors:
// unavailable (no llama.cpp in this build, or no readable GGUF header with
// an embedding length).
struct EmbedderIdentity {
  std::string model_id;
  std::size_t dimensions = 0;
};
Result<EmbedderIdentity> read_llama_embedder_identity(const std::filesystem::path& model_path);

}  // namespace cmdai::semantic
