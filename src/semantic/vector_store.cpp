#include "semantic/vector_store.h"

#include <random>
#include <vector>

#include "core/time.h"
#include "history/embeddings.h"

namespace cmdai::semantic {

std::string entry_text(std::string_view command, std::string_view user_input, std::string_view explanation) {
  std::string text(user_input);
  if (!text.empty()) text += "\n";
  text += command;
  if (!explanation.empty()) text.append("\n").append(explanation);
  return text;
}

Result<std::optional<std::string>> recorded_embedding_model(store::Database& db) {
  auto model = history::recorded_embedding_model(db);
  if (!model) return fail(model.error());
  if (!*model) return std::optional<std::string>{};
  return std::optional<std::string>((*model)->id);
}

namespace {

Result<std::optional<std::uint64_t>> current_generation(store::Database& db) {
  auto value = history::read_setting(db, k_generation_config_key);
  if (!value) return fail(value.error());
  if (!*value) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>(std::strtoull((*value)->c_str(), nullptr, 10));
}

// Rows above after_rowid with a vector of the right size, appended to index.
Result<std::int64_t> append_vectors(store::Database& db, VectorIndex& index, std::int64_t after_rowid,
                                    std::int64_t* skipped) {
  std::int64_t added = 0;
  auto passed_over = history::scan_embeddings(db, after_rowid, index.dimensions(),
                                              [&](std::int64_t rowid, std::span<const float> vector) {
                                                if (index.add(rowid, vector)) ++added;
                                              });
  if (!passed_over) return fail(passed_over.error());
  if (skipped != nullptr) *skipped += *passed_over;
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
  return history::write_setting(db, k_watermark_config_key, std::to_string(index.last_id()), now);
}

}  // namespace

Result<void> invalidate_vector_file(store::Database& db, Timestamp now) {
  std::random_device random;
  const std::uint64_t generation = (std::uint64_t{random()} << 32) ^ random();
  return history::write_setting(db, k_generation_config_key, std::to_string(generation), now);
}

Result<void> note_vectors_written(store::Database& db, std::int64_t lowest_rowid, Timestamp now) {
  auto watermark = history::read_setting(db, k_watermark_config_key);
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
  VectorIndex index(dimensions);
  // The scan gives rowids in order and vectors of this size, so the index
  // refuses none; one it did refuse counts as passed over.
  std::int64_t refused = 0;
  auto passed_over =
      history::scan_embeddings(db, 0, dimensions, [&](std::int64_t rowid, std::span<const float> vector) {
        if (!index.add(rowid, vector)) ++refused;
      });
  if (!passed_over) return fail(passed_over.error());
  if (skipped != nullptr) *skipped += *passed_over + refused;
  return index;
}

}  // namespace cmdai::semantic
