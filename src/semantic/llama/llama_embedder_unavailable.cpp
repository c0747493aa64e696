#include "semantic/llama/llama_embedder.h"

namespace cmdai::semantic {

bool llama_embeddings_available() { return false; }

Result<std::unique_ptr<Embedder>> make_llama_embedder(const LlamaEmbedderOptions&) {
  return fail(ErrorCode::unavailable, "this cmdai was built without llama.cpp, so it cannot load embedding models",
              "run ./scripts/setup and rebuild; search still works with words and the concept lexicon");
}

Result<EmbedderIdentity> read_llama_embedder_identity(const std::filesystem::path&) {
  return fail(ErrorCode::unavailable, "this cmdai was built without llama.cpp, so it cannot read embedding models");
}

}  // namespace cmdai::semantic
