#pragma once
// Where vectors live: each history entry holds its own vector, and the
// history records the model that made them (history/embeddings.h), so
// vectors of two models are never compared with each other.
//
// The index file (vector_file.h) is a cache of those vectors. It stays valid
// while the history's setting `semantic.index_generation` holds the
// generation written in its header; entries embedded after it (rowid above
// its max_rowid) are read from the history and appended in memory. Whoever
// writes a vector at or below `semantic.index_watermark` (the max_rowid of
// the last file written), or clears vectors, draws a new generation
// (note_vectors_written, invalidate_vector_file), so the next search
// rebuilds the file. Deleted entries stay in the file until then; a search
// drops them when it reads the rows (and filters never allow them).

#include <optional>
#include <string>
#include <string_view>

#include "core/entities.h"
#include "core/error.h"
#include "semantic/vector_file.h"
#include "semantic/vector_index.h"
#include "store/database.h"

namespace cmdai::semantic {

// The text of an entry that is embedded: request, command, explanation.
std::string entry_text(std::string_view command, std::string_view user_input, std::string_view explanation);

// The id of the model the history's vectors come from; nullopt: never indexed.
Result<std::optional<std::string>> recorded_embedding_model(store::Database& db);

// Every stored vector of `dimensions` floats, quantised, keyed by rowid.
// Vectors of another size are skipped (counted in skipped when given).
Result<VectorIndex> load_vector_index(store::Database& db, std::size_t dimensions, std::int64_t* skipped = nullptr);

inline constexpr std::string_view k_generation_config_key = "semantic.index_generation";
inline constexpr std::string_view k_watermark_config_key = "semantic.index_watermark";

// A new generation: the index file on disk no longer counts.
Result<void> invalidate_vector_file(store::Database& db, Timestamp now);
// For writers of embedding_vector, in their transaction: the lowest rowid
// they wrote; invalidates the file when it is at or below the watermark.
Result<void> note_vectors_written(store::Database& db, std::int64_t lowest_rowid, Timestamp now);

enum class IndexSource { mapped, rebuilt };

struct IndexLoad {
  VectorIndex index;
  IndexSource source = IndexSource::rebuilt;
  std::int64_t appended = 0;         // rows read from SQLite on top of the mapped file
  std::int64_t skipped = 0;          // vectors of another size
  std::vector<std::string> notices;  // the file could not be used or written (search still works)
};

// This model's vectors: the mapped file plus newer rows when it is valid,
// else every vector from SQLite, then written as the new file. A database
// without a file path (in memory) only builds.
Result<IndexLoad> open_vector_index(store::Database& db, const std::string& model_id, std::size_t dimensions,
                                    Timestamp now, IndexOptions options = {});

}  // namespace cmdai::semantic
