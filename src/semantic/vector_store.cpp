#include "semantic/vector_store.h"

#include <cstring>
#include <random>
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

namespace {

Result<std::optional<std::string>> config_value(store::Database& db, std::string_view key) {
  auto statement = db.prepare("SELECT value FROM configuration WHERE key = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, key);
  auto row = statement->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>(statement->column_text(0));
}

Result<void> set_config_value(store::Database& db, std::string_view key, std::string_view value, Timestamp now) {
  auto statement = db.prepare("INSERT OR REPLACE INTO configuration (key, value, last_updated) VALUES (?1, ?2, ?3)");
  if (!statement) return fail(statement.error());
  statement->bind(1, key).bind(2, value).bind(3, format_iso8601(now));
  return statement->run();
}

Result<std::optional<std::uint64_t>> current_generation(store::Database& db) {
  auto value = config_value(db, k_generation_config_key);
  if (!value) return fail(value.error());
  if (!*value) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>(std::strtoull((*value)->c_str(), nullptr, 10));
}

// Rows above after_rowid with a vector of the right size, appended to index.
Result<std::int64_t> append_vectors(store::Database& db, VectorIndex& index, std::int64_t after_rowid,
                                    std::int64_t* skipped) {
  auto statement = db.prepare(
      "SELECT rowid, embedding_vector FROM command_history WHERE rowid > ?1 AND embedding_vector IS NOT NULL "
      "ORDER BY rowid");
  if (!statement) return fail(statement.error());
  statement->bind(1, after_rowid);
  std::vector<float> vector(index.dimensions());
  std::int64_t added = 0;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const auto bytes = statement->column_blob(1);
    if (bytes.size() != vector.size() * sizeof(float)) {
      if (skipped != nullptr) ++*skipped;
      continue;
    }
    std::memcpy(vector.data(), bytes.data(), bytes.size());
    if (index.add(statement->column_int(0), vector)) ++added;
  }
  return added;
}

// Writes index as the file of generation (drawn now when there is none).
Result<void> save_index(store::Database& db, const std::filesystem::path& path, const VectorIndex& index,
                        const std::string& model_id, std::optional<std::uint64_t> generation, Timestamp now) {
  if (!generation) {
    CMDAI_TRY(invalidate_vector_file(db, now));
    auto drawn = current_generation(db);
    if (!drawn) return fail(drawn.error());
    generation = *drawn;
  }
  CMDAI_TRY(write_vector_file(path, index, {model_id, *generation, index.last_id()}));
  return set_config_value(db, k_watermark_config_key, std::to_string(index.last_id()), now);
}

}  // namespace

Result<void> invalidate_vector_file(store::Database& db, Timestamp now) {
  std::random_device random;
  const std::uint64_t generation = (std::uint64_t{random()} << 32) ^ random();
  return set_config_value(db, k_generation_config_key, std::to_string(generation), now);
}

Result<void> note_vectors_written(store::Database& db, std::int64_t lowest_rowid, Timestamp now) {
  auto watermark = config_value(db, k_watermark_config_key);
  if (!watermark) return fail(watermark.error());
  if (!*watermark || lowest_rowid > std::strtoll((*watermark)->c_str(), nullptr, 10)) return {};
  return invalidate_vector_file(db, now);
}

Result<IndexLoad> open_vector_index(store::Database& db, const std::string& model_id, std::size_t dimensions,
                                    Timestamp now, IndexOptions options) {
  const auto path = vector_file_path(db.path());
  // Read before the vectors: an invalidation during the build then leaves
  // the new file stale rather than wrongly current.
  auto generation = current_generation(db);
  if (!generation) return fail(generation.error());
  IndexLoad load{VectorIndex(dimensions, options), IndexSource::rebuilt, 0, 0, {}};
  if (!path.empty() && *generation) {
    auto mapped = map_vector_file(path, dimensions, options);
    if (!mapped) load.notices.push_back(mapped.error().describe());
    if (mapped && *mapped && (*mapped)->info.model_id == model_id && (*mapped)->info.generation == **generation) {
      load.index = std::move((*mapped)->index);
      load.source = IndexSource::mapped;
      auto appended = append_vectors(db, load.index, (*mapped)->info.max_rowid, &load.skipped);
      if (!appended) return fail(appended.error());
      load.appended = *appended;
      // Many rows since the file: write it again so later searches map them.
      const auto base = static_cast<std::int64_t>(load.index.base_size());
      if (load.appended <= std::max<std::int64_t>(10'000, base / 20)) return load;
    }
  }
  if (load.source == IndexSource::rebuilt) {
    auto appended = append_vectors(db, load.index, 0, &load.skipped);
    if (!appended) return fail(appended.error());
  }
  if (path.empty()) return load;
  if (auto saved = save_index(db, path, load.index, model_id, *generation, now); !saved) {
    load.notices.push_back("the vector index was not saved: " + saved.error().describe());
  }
  return load;
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
