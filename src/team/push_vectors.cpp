#include "team/push_vectors.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <deque>

#include "history/push_marks.h"
#include "team/copy_binary.h"

namespace cmdai::team {
namespace {

constexpr std::string_view k_incoming_vectors =
    "CREATE TEMP TABLE IF NOT EXISTS cmdai_incoming_vectors (id UUID, embedding vector) ON COMMIT DELETE ROWS";

// The model's number on the server, registering it (and creating its
// index) when no machine did yet.
Result<std::int64_t> register_model(Connection& connection, const history::EmbeddingModel& model) {
  auto transaction = ServerTransaction::begin(connection);
  if (!transaction) return fail(transaction.error());
  const std::string dimensions = std::to_string(model.dimensions);
  auto added = connection.query(
      "INSERT INTO cmdai_embedding_models (model, dimensions) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING number",
      {model.id, dimensions});
  if (!added) return fail(added.error());
  std::int64_t number = 0;
  if (added->size() == 1) {
    number = added->integer(0, 0);
    const std::string n = std::to_string(number);
    CMDAI_TRY(connection.exec("CREATE INDEX cmdai_embeddings_model_" + n +
                              " ON cmdai_embeddings USING hnsw ((embedding::vector(" + dimensions +
                              ")) vector_cosine_ops) WHERE model = " + n));
  } else {
    auto known = server_model_number(connection, model);
    if (!known) return fail(known.error());
    if (!*known) return fail(ErrorCode::internal, "the team server neither added nor has the model " + model.id);
    number = **known;
  }
  CMDAI_TRY(transaction->commit());
  return number;
}

bool finite(std::span<const float> vector) {
  for (float value : vector)
    if (!std::isfinite(value)) return false;
  return true;
}

// pgvector's binary form (vector_recv): the dimension and a reserved zero
// as 16-bit integers, then each value as a 32-bit float, network order.
std::string vector_binary(std::span<const float> vector) {
  std::string out;
  out.reserve(4 + 4 * vector.size());
  append_network_order(out, vector.size(), 2);
  append_network_order(out, 0, 2);
  for (float value : vector) append_network_order(out, std::bit_cast<std::uint32_t>(value), 4);
  return out;
}

Error interrupted(Error error, const VectorPushReport& report) {
  error.message += " (" + std::to_string(report.sent) + " entry vectors were pushed before this; the rest stay queued)";
  return error;
}

}  // namespace

std::string vectors_key(const std::string& server_key, const history::EmbeddingModel& model) {
  return server_key + " vectors " + model.id + "/" + std::to_string(model.dimensions);
}

Result<std::optional<std::int64_t>> server_model_number(Connection& connection, const history::EmbeddingModel& model) {
  auto rows = connection.query("SELECT number FROM cmdai_embedding_models WHERE model = $1 AND dimensions = $2",
                               {model.id, std::to_string(model.dimensions)});
  if (!rows) return fail(rows.error());
  if (rows->size() == 0) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rows->integer(0, 0)};
}

std::string vector_literal(std::span<const float> vector) {
  std::string out = "[";
  char number[32];
  for (float value : vector) {
    std::snprintf(number, sizeof number, "%.9g", static_cast<double>(value));
    out += (out.size() == 1 ? "" : ",") + std::string(number);
  }
  return out + "]";
}

Result<VectorPushReport> push_vectors(history::HistoryStore& store, const std::vector<Connection*>& connections,
                                      const std::string& server_key, const history::EmbeddingModel& model,
                                      Timestamp now, std::size_t batch_size) {
  VectorPushReport report;
  const std::string key = vectors_key(server_key, model);
  auto batch = history::unpushed_embeddings(store, server_key, key, model.dimensions, 0, batch_size);
  if (!batch) return fail(batch.error());
  if (batch->empty()) return report;
  auto number = register_model(*connections.front(), model);
  if (!number) return fail(number.error());
  for (Connection* connection : connections) CMDAI_TRY(connection->exec(k_incoming_vectors));
  const std::string insert =
      "WITH inserted AS (INSERT INTO cmdai_embeddings (id, model, embedding) SELECT i.id, " + std::to_string(*number) +
      ", i.embedding FROM cmdai_incoming_vectors i WHERE EXISTS (SELECT 1 FROM command_history h WHERE h.id = i.id) "
      "ORDER BY i.id ON CONFLICT (id, model) DO NOTHING RETURNING 1) SELECT count(*) FROM inserted";
  // Each batch's INSERT goes with its COMMIT without waiting, to the
  // connections in turn: the server inserts into the index on several
  // backends while the next batch is read here.
  struct Upload {
    ServerTransaction transaction;
    std::vector<std::string> ids;
  };
  const auto start_upload = [&](Connection& connection, std::vector<history::UnpushedEmbedding>& embeddings,
                                std::vector<std::string>& ids) -> Result<Upload> {
    std::sort(embeddings.begin(), embeddings.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    CopyBinary data;
    for (const auto& embedding : embeddings) {
      ids.push_back(embedding.id);
      const auto id = uuid_bytes(embedding.id);
      if (!id || !finite(embedding.vector)) {
        ++report.not_finite;
        continue;
      }
      data.begin_row(2);
      data.uuid(*id);
      data.binary(vector_binary(embedding.vector));
    }
    auto transaction = ServerTransaction::begin(connection);
    if (!transaction) return fail(transaction.error());
    CMDAI_TRY(connection.copy_begin("COPY cmdai_incoming_vectors FROM STDIN (FORMAT binary)"));
    CMDAI_TRY(connection.copy_send(data.finish()));
    CMDAI_TRY(connection.copy_end());
    CMDAI_TRY(transaction->send_commit(insert));
    return Upload{std::move(*transaction), std::move(ids)};
  };
  std::deque<Upload> uploads;
  std::size_t started = 0;
  Result<void> failure;
  while (true) {
    if (failure && !batch->empty() && uploads.size() < connections.size()) {
      const std::int64_t after = std::max_element(batch->begin(), batch->end(), [](const auto& a, const auto& b) {
                                   return a.rowid < b.rowid;
                                 })->rowid;
      std::vector<std::string> ids;
      auto upload = start_upload(*connections[started++ % connections.size()], *batch, ids);
      if (upload) {
        uploads.push_back(std::move(*upload));
        batch = history::unpushed_embeddings(store, server_key, key, model.dimensions, after, batch_size);
        if (!batch) {
          failure = fail(batch.error());
          batch = std::vector<history::UnpushedEmbedding>{};
        }
        continue;
      }
      failure = fail(upload.error());
    }
    if (uploads.empty()) break;
    // After a failure, the uploads already sent are still waited for: a
    // batch the server committed is marked here too.
    auto inserted = uploads.front().transaction.finish_commit();
    if (inserted) {
      report.new_on_server += inserted->integer(0, 0);
      auto marked = history::mark_pushed(store, key, uploads.front().ids, now);
      if (marked) {
        report.sent += static_cast<std::int64_t>(uploads.front().ids.size());
      } else if (failure) {
        failure = std::move(marked);
      }
    } else if (failure) {
      failure = fail(inserted.error());
    }
    uploads.pop_front();
  }
  if (!failure) return fail(interrupted(failure.error(), report));
  return report;
}

Result<VectorPushReport> push_vectors(history::HistoryStore& store, Connection& connection,
                                      const std::string& server_key, const history::EmbeddingModel& model,
                                      Timestamp now, std::size_t batch_size) {
  return push_vectors(store, std::vector<Connection*>{&connection}, server_key, model, now, batch_size);
}

}  // namespace cmdai::team
