#include "history/push_marks.h"

#include <cstring>

#include "core/time.h"
#include "history/record_row.h"

namespace cmdai::history {

Result<std::vector<UnpushedRecord>> unpushed_records(HistoryStore& store, std::string_view server,
                                                     std::int64_t after_rowid, std::size_t limit) {
  auto statement = store.database().prepare(
      "SELECT h.rowid, " + std::string(k_record_columns) +
      " FROM command_history h WHERE h.rowid > ?2 AND NOT EXISTS "
      "(SELECT 1 FROM team_pushed p WHERE p.server = ?1 AND p.entry_id = h.id) ORDER BY h.rowid LIMIT ?3");
  if (!statement) return fail(statement.error());
  statement->bind(1, server).bind(2, after_rowid).bind(3, static_cast<std::int64_t>(limit));
  std::vector<UnpushedRecord> records;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return records;
    auto record = read_record(*statement, 1);
    if (!record) return fail(record.error());
    records.push_back({statement->column_int(0), std::move(*record)});
  }
}

Result<std::vector<UnpushedEmbedding>> unpushed_embeddings(HistoryStore& store, std::string_view entries_key,
                                                           std::string_view vectors_key, std::size_t dimensions,
                                                           std::int64_t after_rowid, std::size_t limit) {
  auto statement = store.database().prepare(
      "SELECT h.rowid, h.id, h.embedding_vector FROM command_history h WHERE h.rowid > ?3 "
      "AND length(h.embedding_vector) = ?4 "
      "AND EXISTS (SELECT 1 FROM team_pushed p WHERE p.server = ?1 AND p.entry_id = h.id) "
      "AND NOT EXISTS (SELECT 1 FROM team_pushed p WHERE p.server = ?2 AND p.entry_id = h.id) "
      "ORDER BY h.rowid LIMIT ?5");
  if (!statement) return fail(statement.error());
  statement->bind(1, entries_key)
      .bind(2, vectors_key)
      .bind(3, after_rowid)
      .bind(4, static_cast<std::int64_t>(dimensions * sizeof(float)))
      .bind(5, static_cast<std::int64_t>(limit));
  std::vector<UnpushedEmbedding> out;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return out;
    const auto bytes = statement->column_blob(2);
    UnpushedEmbedding embedding{statement->column_int(0), statement->column_text(1), std::vector<float>(dimensions)};
    std::memcpy(embedding.vector.data(), bytes.data(), bytes.size());
    out.push_back(std::move(embedding));
  }
}

Result<void> mark_pushed(HistoryStore& store, std::string_view server, const std::vector<std::string>& ids,
                         Timestamp when) {
  store::Database& db = store.database();
  auto transaction = store::Transaction::begin(db);
  if (!transaction) return fail(transaction.error());
  auto mark = db.prepare("INSERT OR IGNORE INTO team_pushed (server, entry_id) VALUES (?1, ?2)");
  if (!mark) return fail(mark.error());
  for (const auto& id : ids) {
    mark->bind(1, server).bind(2, id);
    CMDAI_TRY(mark->run());
    CMDAI_TRY(mark->reset());
  }
  auto state = db.prepare(
      "INSERT INTO team_push_state (server, last_push, pushed_total) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(server) DO UPDATE SET last_push = excluded.last_push, "
      "pushed_total = pushed_total + excluded.pushed_total");
  if (!state) return fail(state.error());
  state->bind(1, server).bind(2, format_iso8601(when)).bind(3, static_cast<std::int64_t>(ids.size()));
  CMDAI_TRY(state->run());
  return transaction->commit();
}

Result<PushSummary> push_summary(HistoryStore& store, std::string_view server) {
  auto statement = store.database().prepare("SELECT last_push, pushed_total FROM team_push_state WHERE server = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, server);
  auto row = statement->step();
  if (!row) return fail(row.error());
  PushSummary summary;
  if (!*row) return summary;
  auto when = parse_iso8601(statement->column_text(0));
  if (!when) return fail(ErrorCode::corruption, "the last team push time is unreadable: " + when.error().message);
  summary.last_push = *when;
  summary.pushed_total = statement->column_int(1);
  return summary;
}

}  // namespace cmdai::history
