#pragma once
// The history's vectors and the rows that say what made them: the one place
// that knows where an entry's embedding is stored
// (command_history.embedding_vector, f32 in the seed's layout) and where the
// history database keeps small named values (its `configuration` table).
// semantic/ computes and indexes vectors through these functions; it names
// no table or column of the history. (push_marks.h reads the same column
// for the vectors a team push sends.)
//
// db is a history database (HistoryStore::database()). Writers hold their
// own transaction when several writes must commit together.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "store/database.h"

namespace cmdai::history {

// The model whose vectors the history holds.
struct EmbeddingModel {
  std::string id;              // Embedder::model_id()
  std::size_t dimensions = 0;  // floats per vector; 0: not recorded (a database from before it was)

  bool operator==(const EmbeddingModel&) const = default;
};

// nullopt until a model is recorded (the history was never indexed).
Result<std::optional<EmbeddingModel>> recorded_embedding_model(store::Database& db);
Result<void> record_embedding_model(store::Database& db, const EmbeddingModel& model, Timestamp now);
// The history is no longer indexed by any model (its vectors stay until
// the next record_embedding_model clears them).
Result<void> forget_embedding_model(store::Database& db);

// Small named values other modules keep with the history (semantic's index
// generation and watermark). Keys are dotted names owned by their module.
Result<std::optional<std::string>> read_setting(store::Database& db, std::string_view key);
Result<void> write_setting(store::Database& db, std::string_view key, std::string_view value, Timestamp now);

// An entry that needs a vector: its rowid and the texts that are embedded.
struct EmbeddingSource {
  std::int64_t rowid = 0;
  std::string command;
  std::string user_input;
  std::string explanation;
};

enum class EmbeddingOrder { oldest_first, newest_first };

// Entries without a vector of `dimensions` floats (none, or another size),
// among those with a rowid above `above_rowid`.
Result<std::int64_t> count_without_embedding(store::Database& db, std::size_t dimensions, std::int64_t above_rowid = 0);
// At most `limit` of them past `cursor` (rowid above it oldest first, below
// it newest first).
Result<std::vector<EmbeddingSource>> entries_without_embedding(store::Database& db, std::size_t dimensions,
                                                               std::int64_t cursor, std::size_t limit,
                                                               EmbeddingOrder order, std::int64_t above_rowid = 0);

struct EmbeddingWrite {
  std::int64_t rowid = 0;
  std::span<const float> vector;
};

// Stores each vector on its entry. Every vector must have `dimensions`
// floats - the model's real dimension, not an assumed one: otherwise
// nothing is written and the error (invalid_argument) says which length
// came and which was expected.
Result<void> write_embeddings(store::Database& db, std::span<const EmbeddingWrite> writes, std::size_t dimensions);
// Every entry loses its vector.
Result<void> clear_embeddings(store::Database& db);

// Each stored vector of `dimensions` floats on an entry above after_rowid,
// in rowid order. Returns how many vectors of another size were passed over.
using EmbeddingVisitor = std::function<void(std::int64_t rowid, std::span<const float> vector)>;
Result<std::int64_t> scan_embeddings(store::Database& db, std::int64_t after_rowid, std::size_t dimensions,
                                     const EmbeddingVisitor& visit);

// Checks an entry's own vector (an import) against the recorded model.
// Errors: invalid_argument when no model is recorded or the length differs.
Result<void> check_embedding(store::Database& db, std::span<const float> vector);

}  // namespace cmdai::history
