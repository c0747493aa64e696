#pragma once
// LazyEmbedder: an Embedder that loads its model on the first embed() call.
// model_id() and dimensions() are known beforehand (read from the model
// file's header), so a search whose query vector is in the embedding cache,
// or that needs no vector at all, never pays for loading the model
// (100-200 ms for a small GGUF embedding model).
//
// One thread at a time, like every Embedder; prefetch() loads on a thread
// of its own that the next embed() (or the destructor) joins.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "semantic/embedder.h"

namespace cmdai::semantic {

class LazyEmbedder final : public Embedder {
 public:
  using Load = std::function<Result<std::unique_ptr<Embedder>>()>;

  // load must give an embedder with this model_id and these dimensions.
  LazyEmbedder(std::string model_id, std::size_t dimensions, Load load)
      : m_model_id(std::move(model_id)), m_dimensions(dimensions), m_load(std::move(load)) {}

  std::string model_id() const override { return m_model_id; }
  std::size_t dimensions() const override { return m_dimensions; }

  // Loads the model on first use; a failed load is remembered and returned
  // by every later call. Errors: the load's, or internal when the loaded
  // model names another model_id or dimension count than promised.
  Result<std::vector<Vector>> embed(std::span<const std::string> texts) override;

  // Starts the load on a background thread; the next embed() waits for it
  // and reports its failure. Does nothing once loaded, failed or loading.
  void prefetch() override;

  bool loaded() const { return m_loaded != nullptr; }

 private:
  Result<void> load();
  Result<std::unique_ptr<Embedder>> run_load();

  std::string m_model_id;
  std::size_t m_dimensions;
  Load m_load;
  std::unique_ptr<Embedder> m_loaded;
  std::optional<Error> m_failure;
  std::optional<Result<std::unique_ptr<Embedder>>> m_prefetched;  // written by m_loading only
  std::jthread m_loading;  // last: joined before the members it writes are destroyed
};

}  // namespace cmdai::semantic
