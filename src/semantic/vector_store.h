#pragma once
// Where vectors live: command_history.embedding_vector (f32, the seed's
// layout) holds one vector per entry, and the configuration row
// `semantic.embedding_model` names the model that made them, so vectors of
// two models are never compared with each other.

#include <optional>
#include <string>
#include <string_view>

#include "core/entities.h"
#include "core/error.h"
#include "semantic/vector_index.h"
#include "store/database.h"

namespace cmdai::semantic {

inline constexpr std::string_view k_model_config_key = "semantic.embedding_model";

// The text of an entry that is embedded: request, command, explanation.
std::string entry_text(std::string_view command, std::string_view user_input, std::string_view explanation);

Result<std::optional<std::string>> recorded_embedding_model(store::Database& db);
Result<void> record_embedding_model(store::Database& db, std::string_view model_id, Timestamp now);

// Every stored vector of `dimensions` floats, quantised, keyed by rowid.
// Vectors of another size are skipped (counted in skipped when given).
Result<VectorIndex> load_vector_index(store::Database& db, std::size_t dimensions, std::int64_t* skipped = nullptr);

}  // namespace cmdai::semantic
