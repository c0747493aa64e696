#include "history/embeddings.h"

#include <charconv>
#include <cstring>

#include "core/time.h"

namespace cmdai::history {
namespace {

// The keys stay those of the databases already written.
constexpr std::string_view k_model_key = "semantic.embedding_model";
constexpr std::string_view k_dimensions_key = "semantic.embedding_dimensions";

// Entries whose vector is missing or of another size (?1: its size in bytes).
constexpr std::string_view k_missing = "(embedding_vector IS NULL OR length(embedding_vector) != ?1)";

std::int64_t byte_size(std::size_t dimensions) { return static_cast<std::int64_t>(dimensions * sizeof(float)); }

std::size_t parse_count(const std::string& text) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size() ? value : 0;
}

Error wrong_length(std::size_t got, std::size_t expected, std::string_view model) {
  return Error{ErrorCode::invalid_argument,
               "an embedding of " + std::to_string(got) + " values does not fit the history's embedding model (" +
                   std::string(model) + ", " + std::to_string(expected) + " dimensions)",
               "vectors must come from the model the history is indexed with; run cmdai history reindex"};
}

Result<void> remove_setting(store::Database& db, std::string_view key) {
  auto statement = db.prepare("DELETE FROM configuration WHERE key = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, key);
  return statement->run();
}

}  // namespace

Result<std::optional<std::string>> read_setting(store::Database& db, std::string_view key) {
  auto statement = db.prepare("SELECT value FROM configuration WHERE key = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, key);
  auto row = statement->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>(statement->column_text(0));
}

Result<void> write_setting(store::Database& db, std::string_view key, std::string_view value, Timestamp now) {
  auto statement = db.prepare("INSERT OR REPLACE INTO configuration (key, value, last_updated) VALUES (?1, ?2, ?3)");
  if (!statement) return fail(statement.error());
  statement->bind(1, key).bind(2, value).bind(3, format_iso8601(now));
  return statement->run();
}

Result<std::optional<EmbeddingModel>> recorded_embedding_model(store::Database& db) {
  auto id = read_setting(db, k_model_key);
  if (!id) return fail(id.error());
  if (!*id) return std::optional<EmbeddingModel>{};
  auto dimensions = read_setting(db, k_dimensions_key);
  if (!dimensions) return fail(dimensions.error());
  return std::optional<EmbeddingModel>(EmbeddingModel{**id, *dimensions ? parse_count(**dimensions) : 0});
}

Result<void> record_embedding_model(store::Database& db, const EmbeddingModel& model, Timestamp now) {
  CMDAI_TRY(write_setting(db, k_model_key, model.id, now));
  return write_setting(db, k_dimensions_key, std::to_string(model.dimensions), now);
}

Result<void> forget_embedding_model(store::Database& db) {
  CMDAI_TRY(remove_setting(db, k_model_key));
  return remove_setting(db, k_dimensions_key);
}

Result<std::int64_t> count_without_embedding(store::Database& db, std::size_t dimensions, std::int64_t above_rowid) {
  auto statement =
      db.prepare("SELECT count(*) FROM command_history WHERE " + std::string(k_missing) + " AND rowid > ?2");
  if (!statement) return fail(statement.error());
  statement->bind(1, byte_size(dimensions)).bind(2, above_rowid);
  auto row = statement->step();
  if (!row) return fail(row.error());
  return statement->column_int(0);
}

Result<std::vector<EmbeddingSource>> entries_without_embedding(store::Database& db, std::size_t dimensions,
                                                               std::int64_t cursor, std::size_t limit,
                                                               EmbeddingOrder order, std::int64_t above_rowid) {
  const bool newest = order == EmbeddingOrder::newest_first;
  auto statement =
      db.prepare("SELECT rowid, command, coalesce(user_input, ''), explanation FROM command_history WHERE " +
                 std::string(k_missing) + " AND rowid > ?4" +
                 (newest ? " AND rowid < ?2 ORDER BY rowid DESC" : " AND rowid > ?2 ORDER BY rowid") + " LIMIT ?3");
  if (!statement) return fail(statement.error());
  statement->bind(1, byte_size(dimensions)).bind(2, cursor).bind(3, static_cast<std::int64_t>(limit));
  statement->bind(4, above_rowid);
  std::vector<EmbeddingSource> rows;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    rows.push_back(
        {statement->column_int(0), statement->column_text(1), statement->column_text(2), statement->column_text(3)});
  }
  return rows;
}

Result<void> write_embeddings(store::Database& db, std::span<const EmbeddingWrite> writes, std::size_t dimensions) {
  for (const auto& write : writes) {
    if (write.vector.size() != dimensions || dimensions == 0) {
      return fail(ErrorCode::invalid_argument,
                  "an embedding of " + std::to_string(write.vector.size()) + " values for a model of " +
                      std::to_string(dimensions) + " dimensions",
                  "the embedder returned vectors of the wrong length; nothing was stored");
    }
  }
  auto update = db.prepare("UPDATE command_history SET embedding_vector = ?1 WHERE rowid = ?2");
  if (!update) return fail(update.error());
  for (const auto& write : writes) {
    update->bind_blob(1, write.vector.data(), write.vector.size_bytes()).bind(2, write.rowid);
    CMDAI_TRY(update->run());
    CMDAI_TRY(update->reset());
  }
  return {};
}

Result<void> clear_embeddings(store::Database& db) {
  return db.exec("UPDATE command_history SET embedding_vector = NULL WHERE embedding_vector IS NOT NULL");
}

Result<std::int64_t> scan_embeddings(store::Database& db, std::int64_t after_rowid, std::size_t dimensions,
                                     const EmbeddingVisitor& visit) {
  auto statement = db.prepare(
      "SELECT rowid, embedding_vector FROM command_history WHERE rowid > ?1 AND embedding_vector IS NOT NULL "
      "ORDER BY rowid");
  if (!statement) return fail(statement.error());
  statement->bind(1, after_rowid);
  std::vector<float> vector(dimensions);
  std::int64_t skipped = 0;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const auto bytes = statement->column_blob(1);
    if (bytes.size() != vector.size() * sizeof(float)) {
      ++skipped;
      continue;
    }
    std::memcpy(vector.data(), bytes.data(), bytes.size());
    visit(statement->column_int(0), vector);
  }
  return skipped;
}

Result<void> check_embedding(store::Database& db, std::span<const float> vector) {
  auto model = recorded_embedding_model(db);
  if (!model) return fail(model.error());
  if (!*model || (*model)->dimensions == 0) {
    return fail(ErrorCode::invalid_argument,
                "an embedding of " + std::to_string(vector.size()) +
                    " values cannot be checked: the history records no embedding model with its dimension",
                "leave embedding_vector out and run cmdai history reindex");
  }
  if (vector.size() != (*model)->dimensions)
    return fail(wrong_length(vector.size(), (*model)->dimensions, (*model)->id));
  return {};
}

}  // namespace cmdai::history
