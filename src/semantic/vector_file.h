#pragma once
// The vector index on disk: one file next to the history database
// (`history.db.vectors`), mapped read-only by each process so a search
// reads sign bits and a few hundred rows of codes instead of decoding a
// million f32 blobs from SQLite. It is a cache: command_history's
// embedding_vector stays the truth, and a missing, damaged or stale file is
// rebuilt from it (vector_store.h decides when).
//
// Layout (native byte order, checked by a marker), every array 64-byte aligned:
//   header (256 bytes: magic, version, dimensions, count, generation,
//           max_rowid, model id) | ids int64[count] | scales f32[count]
//   | prefilter bits u64[count * sign_words] | codes int8[count * dimensions]
// Written to a temporary name and renamed, so a reader sees the old file or
// the new one, never half of one; a mapping stays valid after a rename.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/error.h"
#include "semantic/vector_index.h"

namespace cmdai::semantic {

struct VectorFileInfo {
  std::string model_id;          // the embedder that made the vectors (at most 200 bytes)
  std::uint64_t generation = 0;  // vector_store's token when the file was written
  std::int64_t max_rowid = 0;    // the highest rowid in the file
};

struct MappedIndex {
  VectorIndex index;  // base segment = the mapping
  VectorFileInfo info;
};

// The file for a database path ("" for an in-memory database).
std::filesystem::path vector_file_path(const std::filesystem::path& database);

// Writes every row of index. Errors: io_error (with the path).
Result<void> write_vector_file(const std::filesystem::path& path, const VectorIndex& index, const VectorFileInfo& info);

// Maps the file. nullopt when it does not exist; corruption when it is not
// a well-formed index of `dimensions` (wrong size, bad header, ids out of
// order, non-finite scales); io_error when it cannot be read.
Result<std::optional<MappedIndex>> map_vector_file(const std::filesystem::path& path, std::size_t dimensions,
                                                   IndexOptions options = {});

}  // namespace cmdai::semantic
