#pragma once
// EmbeddingCache: vectors already computed, in the seed's embedding_cache
// table, so no text is embedded twice by the same model.
//
// Key: content_hash = hex of a 128-bit hash of (model id, exact text); a
// different model or a changed byte is a different key. Each hit bumps
// access_count and last_accessed. When the table holds more than
// max_entries rows, the least recently used rows are deleted (ties: fewest
// accesses first) until it holds max_entries again.
//
// Uses the HistoryStore's database connection (one thread at a time).
// A cached row whose size does not match the embedder's dimensions is
// treated as a miss and overwritten.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/error.h"
#include "semantic/embedder.h"
#include "store/database.h"

namespace cmdai::semantic {

struct CacheOptions {
  std::int64_t max_entries = 200'000;  // ~300 MB of 384-dim f32 vectors at most
};

struct CacheStats {
  std::int64_t hits = 0;
  std::int64_t misses = 0;
  std::int64_t evicted = 0;
};

class EmbeddingCache {
 public:
  EmbeddingCache(store::Database& db, const Env& env, CacheOptions options = {})
      : m_db(db), m_env(env), m_options(options) {}

  // Vectors for texts, in order: cached ones read back, the rest embedded
  // in one batch by embedder and stored. Evicts afterwards if over the cap.
  Result<std::vector<Vector>> embed(Embedder& embedder, std::span<const std::string> texts);

  // Whether embed() would find text's vector for embedder in the cache,
  // without counting a hit or touching the row.
  Result<bool> holds(const Embedder& embedder, const std::string& text);

  // Deletes least-recently-used rows beyond max_entries; returns how many.
  Result<std::int64_t> evict_over_cap();

  Result<std::int64_t> size();
  const CacheStats& stats() const { return m_stats; }

 private:
  Result<std::optional<Vector>> lookup(const std::string& key, std::size_t dimensions);
  Result<void> store(const std::string& key, const Vector& vector);

  store::Database& m_db;
  const Env& m_env;
  CacheOptions m_options;
  CacheStats m_stats;
};

// The content_hash for a text under a model: 32 lowercase hex digits.
std::string content_hash(std::string_view model_id, std::string_view text);

}  // namespace cmdai::semantic
