#include "semantic/pending_embedding.h"

#include "core/log.h"
#include "history/history_store.h"
#include "semantic/embedder_factory.h"
#include "semantic/embedding_cache.h"
#include "semantic/vector_store.h"

namespace cmdai::semantic {
namespace {

Result<ReindexStats> embed_new_entries(const Env& env, const Paths& paths, const std::vector<EmbeddingServer>& servers,
                                       std::int64_t limit) {
  auto store = history::HistoryStore::open(paths.history_db);
  if (!store) return fail(store.error());
  // A history never indexed waits for `history reindex`: no model is loaded
  // and no server asked.
  auto recorded = recorded_embedding_model(store->database());
  if (!recorded) return fail(recorded.error());
  if (!*recorded) return ReindexStats{};
  auto choice = open_embedder(env, paths, servers);
  if (!choice) return fail(choice.error());
  if (!choice->embedder) return ReindexStats{};
  EmbeddingCache cache(store->database(), env);
  return embed_pending_if_indexed(*store, *choice->embedder, cache, env, limit);
}

}  // namespace

PendingEmbedding::PendingEmbedding(const Env& env, Paths paths, std::vector<EmbeddingServer> servers,
                                   std::int64_t limit)
    : m_thread([this, &env, paths = std::move(paths), servers = std::move(servers), limit] {
        m_outcome = embed_new_entries(env, paths, servers, limit);
        if (!*m_outcome) log::warn("new history entries were not embedded: " + m_outcome->error().describe());
      }) {}

PendingEmbedding::~PendingEmbedding() {
  if (m_thread.joinable()) m_thread.join();
}

const Result<ReindexStats>& PendingEmbedding::wait() {
  if (m_thread.joinable()) m_thread.join();
  return *m_outcome;
}

}  // namespace cmdai::semantic
