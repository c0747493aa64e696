#include "semantic/vector_store.h"

#include <cstring>
#include <vector>

#include "core/time.h"

namespace cmdai::semantic {

std::string entry_text(std::string_view command, std::string_view user_input, std::string_view explanation) {
  std::string text(user_input);
  if (!text.empty()) text += "\n";
  text += command;
  if (!explanation.empty()) text.append("\n").append(explanation);
  return text;
}

Result<std::optional<std::string>> recorded_embedding_model(store::Database& db) {
  auto statement = db.prepare("SELECT value FROM configuration WHERE key = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, k_model_config_key);
  auto row = statement->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>(statement->column_text(0));
}

Result<void> record_embedding_model(store::Database& db, std::string_view model_id, Timestamp now) {
  auto statement = db.prepare("INSERT OR REPLACE INTO configuration (key, value, last_updated) VALUES (?1, ?2, ?3)");
  if (!statement) return fail(statement.error());
  statement->bind(1, k_model_config_key).bind(2, model_id).bind(3, format_iso8601(now));
  return statement->run();
}

Result<VectorIndex> load_vector_index(store::Database& db, std::size_t dimensions, std::int64_t* skipped) {
  auto statement = db.prepare(
      "SELECT rowid, embedding_vector FROM command_history WHERE embedding_vector IS NOT NULL ORDER BY rowid");
  if (!statement) return fail(statement.error());
  VectorIndex index(dimensions);
  std::vector<float> vector(dimensions);
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const auto bytes = statement->column_blob(1);
    if (bytes.size() != dimensions * sizeof(float)) {
      if (skipped != nullptr) ++*skipped;
      continue;
    }
    std::memcpy(vector.data(), bytes.data(), bytes.size());
    index.add(statement->column_int(0), vector);
  }
  return index;
}

}  // namespace cmdai::semantic
