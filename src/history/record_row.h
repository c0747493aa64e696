#pragma once
// How a HistoryRecord maps to a command_history row: the column list, and
// reading and binding in that order. Shared by the store, search and salvage.

#include <string_view>

#include "core/error.h"
#include "history/history_store.h"
#include "store/database.h"

namespace cmdai::history {

// The seed's columns, then favorite, use_count, hostname, session_id.
inline constexpr std::string_view k_record_columns =
    "id, command, user_input, explanation, shell_type, working_directory, timestamp, execution_metadata, "
    "safety_metadata, tags, embedding_vector, favorite, use_count, hostname, session_id";
// The seed's columns alone, for databases written before migration 4.
inline constexpr std::string_view k_seed_columns =
    "id, command, user_input, explanation, shell_type, working_directory, timestamp, execution_metadata, "
    "safety_metadata, tags, embedding_vector";

// Reads columns first .. first+14 (or first+10 when seed_only). Errors:
// corruption when the timestamp cannot be parsed.
enum class Columns { record, seed_only };
Result<HistoryRecord> read_record(const store::Statement& row, int first = 0, Columns columns = Columns::record);

// Binds parameters 1..15 in k_record_columns order.
void bind_record(store::Statement& statement, const HistoryRecord& record);

}  // namespace cmdai::history
