#pragma once
// Vectors for entries just written, filled off the path the user waits on.
//
// When a command is generated, the pipeline writes its history entry and
// starts a PendingEmbedding: a thread with its own database connection
// loads the embedder (open_embedder: configured or installed model) and
// embeds the newest entries without a vector (the new one first, at most
// `limit`). The command is shown, confirmed and run meanwhile; the thread is
// joined when the PendingEmbedding is destroyed (the pipeline's end, after
// the command ran), so no thread outlives the request.
//
// Only once the history is indexed with that embedder (`cmdai history
// reindex` recorded it; see embed_pending_if_indexed): the first indexing
// of a whole history is a deliberate, visible step. Entries the shell hooks
// record (`cmdai shell-record`, run at every prompt, where loading a model
// would be felt) are embedded by the next PendingEmbedding or search, since
// both take the newest entries without a vector.
//
// Failures are logged, never shown: the entry is saved either way and a
// later search or reindex embeds it.

#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

#include "core/env.h"
#include "core/error.h"
#include "core/paths.h"
#include "semantic/reindex.h"
#include "semantic/server_embedder.h"

namespace cmdai::semantic {

class PendingEmbedding {
 public:
  // Starts the thread. env must outlive this object and be safe to read
  // from another thread (RealEnv is).
  // servers: model servers with an embedding model, used when no local
  // model is (open_embedder).
  PendingEmbedding(const Env& env, Paths paths, std::vector<EmbeddingServer> servers = {}, std::int64_t limit = 16);
  PendingEmbedding(const PendingEmbedding&) = delete;
  PendingEmbedding& operator=(const PendingEmbedding&) = delete;
  ~PendingEmbedding();

  // Waits for the thread; what it did (embedded 0 when there was no
  // embedder or the history is not indexed). Errors: the database's or the
  // embedder's.
  const Result<ReindexStats>& wait();

 private:
  std::optional<Result<ReindexStats>> m_outcome;
  std::thread m_thread;  // last: starts after the members it writes exist
};

}  // namespace cmdai::semantic
