#pragma once
// cmdai team push, after the entries: their embeddings, for the team
// search by meaning (server_search.h). Only on a server with pgvector
// (SchemaState::vectors).
//
//  - What goes: the vector this machine's model (the history's recorded
//    embedding model) made for each entry already pushed to that server, so
//    nothing kept back by the push policy (push_policy.h) sends its vector
//    either. Entries are often embedded after they were pushed (the
//    embedding agent catches up later): vectors are marked pushed under a
//    key of their own, the server's key and the model's, and a vector made
//    later goes with a later push.
//  - Where: cmdai_embeddings, one row per entry and model (server_schema.h).
//    The model is registered in cmdai_embedding_models the first time a
//    machine pushes its vectors, and its HNSW index (cosine distance, over
//    the vector cast to the model's dimension) is created in the same
//    transaction; two machines registering one model at once agree on one
//    row.
//  - Idempotent and resumable as push is: (id, model) is the key, INSERT
//    ... ON CONFLICT DO NOTHING, one server transaction per batch, marked
//    here once committed. A vector with a NaN or an infinity, which
//    pgvector refuses, is marked without being sent.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/embeddings.h"
#include "history/history_store.h"
#include "team/connection.h"

namespace cmdai::team {

inline constexpr std::size_t k_vector_batch = 2000;

struct VectorPushReport {
  std::int64_t sent = 0;           // vectors uploaded (or refused as not finite)
  std::int64_t new_on_server = 0;  // of those, the ones the server did not have
  std::int64_t not_finite = 0;     // vectors with a NaN or an infinity, not sent
};

// The key the vectors of model are marked pushed under, for the server
// named server_key.
std::string vectors_key(const std::string& server_key, const history::EmbeddingModel& model);

// Errors: the server's or the history database's; the message says how
// many vectors were pushed before it, and those stay pushed.
Result<VectorPushReport> push_vectors(history::HistoryStore& store, Connection& connection,
                                      const std::string& server_key, const history::EmbeddingModel& model,
                                      Timestamp now, std::size_t batch_size = k_vector_batch);

// The same over several connections to that server (at least one), which
// take the batches in turn: the server inserts into the index on as many
// backends at once. After a failure the batches already sent are still
// waited for and, once committed, marked.
Result<VectorPushReport> push_vectors(history::HistoryStore& store, const std::vector<Connection*>& connections,
                                      const std::string& server_key, const history::EmbeddingModel& model,
                                      Timestamp now, std::size_t batch_size = k_vector_batch);

// The server's number for model (cmdai_embedding_models), nullopt when no
// machine pushed its vectors yet.
Result<std::optional<std::int64_t>> server_model_number(Connection& connection, const history::EmbeddingModel& model);

// A vector as pgvector's text form, "[0.5,-1,...]", for a query parameter.
std::string vector_literal(std::span<const float> vector);

}  // namespace cmdai::team
