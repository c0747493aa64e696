#pragma once
// JSON form of the seed entities, with the seed's field names. Used by the
// CLI's --json output, JSONL import/export and the SQLite JSON columns.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai {

nlohmann::json to_json(const ExecutionMetadata& metadata);
nlohmann::json to_json(const SafetyMetadata& metadata);
// Includes embedding_vector only when include_embedding is set (it is large
// and rarely useful to people).
enum class Embedding { omit, include };
nlohmann::json to_json(const CommandHistoryEntry& entry, Embedding embedding = Embedding::omit);

Result<ExecutionMetadata> execution_metadata_from_json(const nlohmann::json& json);
Result<SafetyMetadata> safety_metadata_from_json(const nlohmann::json& json);
// The numbers of a JSON array; an element that is not a number is an error.
Result<std::vector<float>> embedding_vector_from_json(const nlohmann::json& array);
// Parses and validates (validate() in entities.h). Missing id or timestamp
// are errors; callers that want fresh ones fill them in before calling.
Result<CommandHistoryEntry> entry_from_json(const nlohmann::json& json);

// The value serialised (indent < 0: one line). Strings may hold any bytes:
// each invalid UTF-8 byte is written as U+FFFD, so this never throws.
std::string json_text(const nlohmann::json& value, int indent = -1);

// Milliseconds as a JSON number <-> microseconds.
double to_millis(Micros duration);
Micros from_millis(double millis);

}  // namespace cmdai
