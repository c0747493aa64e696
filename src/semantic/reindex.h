#pragma once
// Filling the history entries' vectors (history/embeddings.h): `cmdai history reindex` (all
// entries without a vector, with progress) and embed_pending (the same, for
// the few entries written since, called after a history write on a thread
// that nobody waits for).
//
// Vectors go through the EmbeddingCache, so a text already embedded by the
// same model is never embedded again. When the embedder's model differs
// from the one recorded (vector_store.h), every old vector is cleared first
// and the new model is recorded: vectors of two models never mix, and an
// interrupted reindex resumes where it stopped.

#include <cstdint>
#include <functional>
#include <stop_token>

#include "core/env.h"
#include "core/error.h"
#include "history/history_store.h"
#include "semantic/embedder.h"
#include "semantic/embedding_cache.h"

namespace cmdai::semantic {

inline constexpr std::int64_t k_pending_window = 1000;

struct ReindexOptions {
  std::size_t batch_size = 32;  // texts per embedder call and per transaction
  std::int64_t limit = -1;      // at most this many entries; -1: all
  bool newest_first = false;    // embed_pending wants the latest entries first
  std::int64_t window = -1;     // only entries among the newest this many rowids; -1: all
};

struct ReindexProgress {
  std::int64_t done = 0;   // entries handled so far (embedded or skipped)
  std::int64_t total = 0;  // entries without a vector when the run started
};

struct ReindexStats {
  std::int64_t embedded = 0;  // vectors written
  std::int64_t skipped = 0;   // entries whose text the embedder refused (bad UTF-8, NUL)
  std::int64_t cache_hits = 0;
  bool model_changed = false;  // old vectors were cleared
};

using ProgressSink = std::function<void(const ReindexProgress&)>;

// Errors: the embedder's or the database's; a stop request returns
// cancelled after committing the batches already done.
Result<ReindexStats> reindex(history::HistoryStore& store, Embedder& embedder, EmbeddingCache& cache, const Env& env,
                             const ReindexOptions& options, const ProgressSink& on_progress, std::stop_token stop);

// Embeds up to `limit` newest entries that have no vector, among the newest
// k_pending_window rowids (what was recorded since the last search: looking
// further back would read every row of a large history on each search; an
// older entry without a vector waits for `cmdai history reindex`). For the
// pipeline to call after its history write, off the path the user waits on.
Result<ReindexStats> embed_pending(history::HistoryStore& store, Embedder& embedder, EmbeddingCache& cache,
                                   const Env& env, std::int64_t limit = 16);

// embed_pending, but only when the history already holds this embedder's
// vectors (after a `cmdai history reindex`): a first indexing of a large
// history is a deliberate, visible step, never a side effect of a search.
Result<ReindexStats> embed_pending_if_indexed(history::HistoryStore& store, Embedder& embedder, EmbeddingCache& cache,
                                              const Env& env, std::int64_t limit = 64);

}  // namespace cmdai::semantic
