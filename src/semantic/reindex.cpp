#include "semantic/reindex.h"

#include <algorithm>
#include <climits>
#include <vector>

#include "history/embeddings.h"
#include "history/rows.h"
#include "semantic/vector_store.h"
#include "store/database.h"

namespace cmdai::semantic {
namespace {

struct PendingRow {
  std::int64_t rowid = 0;
  std::string text;
};

// Rowids above this are in the window (0: every row).
Result<std::int64_t> window_start(store::Database& db, std::int64_t window) {
  if (window < 0) return std::int64_t{0};
  auto highest = history::newest_rowid(db);
  if (!highest) return fail(highest.error());
  return std::max<std::int64_t>(0, *highest - window);
}

// The next batch of entries without a vector, past the cursor (rowid order,
// or reverse rowid order when newest_first), among the rowids above `above`.
Result<std::vector<PendingRow>> next_batch(store::Database& db, std::size_t dimensions, std::int64_t cursor,
                                           std::size_t size, bool newest_first, std::int64_t above) {
  auto sources = history::entries_without_embedding(
      db, dimensions, cursor, size,
      newest_first ? history::EmbeddingOrder::newest_first : history::EmbeddingOrder::oldest_first, above);
  if (!sources) return fail(sources.error());
  std::vector<PendingRow> rows;
  for (const auto& source : *sources) {
    rows.push_back({source.rowid, entry_text(source.command, source.user_input, source.explanation)});
  }
  return rows;
}

Result<void> write_vectors(store::Database& db, const std::vector<PendingRow>& rows,
                           const std::vector<std::optional<Vector>>& vectors, std::size_t dimensions, Timestamp now) {
  std::vector<history::EmbeddingWrite> writes;
  std::int64_t lowest = INT64_MAX;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!vectors[i]) continue;
    writes.push_back({rows[i].rowid, *vectors[i]});
    lowest = std::min(lowest, rows[i].rowid);
  }
  auto transaction = store::Transaction::begin(db);
  if (!transaction) return fail(transaction.error());
  CMDAI_TRY(history::write_embeddings(db, writes, dimensions));
  if (lowest != INT64_MAX) CMDAI_TRY(note_vectors_written(db, lowest, now));
  return transaction->commit();
}

// Vectors for a batch; a text the embedder refuses is skipped (nullopt)
// rather than failing the whole batch.
Result<std::vector<std::optional<Vector>>> embed_batch(EmbeddingCache& cache, Embedder& embedder,
                                                       const std::vector<PendingRow>& rows) {
  std::vector<std::string> texts;
  for (const auto& row : rows) texts.push_back(row.text);
  std::vector<std::optional<Vector>> out(rows.size());
  auto vectors = cache.embed(embedder, texts);
  if (vectors) {
    for (std::size_t i = 0; i < rows.size(); ++i) out[i] = std::move((*vectors)[i]);
    return out;
  }
  if (vectors.error().code != ErrorCode::invalid_argument) return fail(vectors.error());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto one = cache.embed(embedder, std::span<const std::string>(&texts[i], 1));
    if (one) {
      out[i] = std::move(one->front());
    } else if (one.error().code != ErrorCode::invalid_argument) {
      return fail(one.error());
    }
  }
  return out;
}

// Records the embedder's model; a different one first clears every old
// vector. A history indexed before dimensions were recorded gets them now.
Result<bool> prepare_model(store::Database& db, Embedder& embedder, const Env& env) {
  auto recorded = history::recorded_embedding_model(db);
  if (!recorded) return fail(recorded.error());
  const history::EmbeddingModel model{embedder.model_id(), embedder.dimensions()};
  if (*recorded && **recorded == model) return false;
  const bool same_model = *recorded && (*recorded)->id == model.id;
  auto transaction = store::Transaction::begin(db);
  if (!transaction) return fail(transaction.error());
  if (!same_model) CMDAI_TRY(history::clear_embeddings(db));
  CMDAI_TRY(history::record_embedding_model(db, model, env.now()));
  if (!same_model) CMDAI_TRY(invalidate_vector_file(db, env.now()));
  CMDAI_TRY(transaction->commit());
  return recorded->has_value() && !same_model;
}

}  // namespace

Result<ReindexStats> reindex(history::HistoryStore& store, Embedder& embedder, EmbeddingCache& cache, const Env& env,
                             const ReindexOptions& options, const ProgressSink& on_progress, std::stop_token stop) {
  store::Database& db = store.database();
  ReindexStats stats;
  auto changed = prepare_model(db, embedder, env);
  if (!changed) return fail(changed.error());
  stats.model_changed = *changed;
  auto above = window_start(db, options.window);
  if (!above) return fail(above.error());
  auto total = history::count_without_embedding(db, embedder.dimensions(), *above);
  if (!total) return fail(total.error());
  ReindexProgress progress{0, options.limit >= 0 ? std::min(*total, options.limit) : *total};
  if (on_progress) on_progress(progress);
  const std::int64_t hits_before = cache.stats().hits;
  std::int64_t cursor = options.newest_first ? INT64_MAX : 0;
  while (progress.done < progress.total) {
    if (stop.stop_requested()) return fail(ErrorCode::cancelled, "reindex interrupted", "run it again to resume");
    const auto size =
        std::min<std::int64_t>(static_cast<std::int64_t>(options.batch_size), progress.total - progress.done);
    auto rows =
        next_batch(db, embedder.dimensions(), cursor, static_cast<std::size_t>(size), options.newest_first, *above);
    if (!rows) return fail(rows.error());
    if (rows->empty()) break;
    auto vectors = embed_batch(cache, embedder, *rows);
    if (!vectors) return fail(vectors.error());
    CMDAI_TRY(write_vectors(db, *rows, *vectors, embedder.dimensions(), env.now()));
    for (const auto& vector : *vectors) ++(vector ? stats.embedded : stats.skipped);
    cursor = rows->back().rowid;
    progress.done += static_cast<std::int64_t>(rows->size());
    if (on_progress) on_progress(progress);
  }
  stats.cache_hits = cache.stats().hits - hits_before;
  return stats;
}

Result<ReindexStats> embed_pending(history::HistoryStore& store, Embedder& embedder, EmbeddingCache& cache,
                                   const Env& env, std::int64_t limit) {
  ReindexOptions options;
  options.limit = limit;
  options.newest_first = true;
  options.window = k_pending_window;
  return reindex(store, embedder, cache, env, options, {}, std::stop_token{});
}

Result<ReindexStats> embed_pending_if_indexed(history::HistoryStore& store, Embedder& embedder, EmbeddingCache& cache,
                                              const Env& env, std::int64_t limit) {
  auto recorded = recorded_embedding_model(store.database());
  if (!recorded) return fail(recorded.error());
  if (!*recorded || **recorded != embedder.model_id()) return ReindexStats{};
  return embed_pending(store, embedder, cache, env, limit);
}

}  // namespace cmdai::semantic
