#pragma once
// How a HistoryRecord maps to a command_history row: the column list, and
// reading and binding in that order. Shared by the store, search and salvage.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// The columns written as text made from a record's fields: its time and
// its JSON columns, exactly as core/entity_json.h's to_json() and
// json_text() would write them (keys in order, numbers as nlohmann writes
// them, invalid UTF-8 as U+FFFD), without building a JSON value. Made on
// any thread, apart from the statement it is bound to.
struct RowText {
  std::string timestamp;
  std::optional<std::string> execution_metadata;
  std::optional<std::string> safety_metadata;
  std::string tags;
};
RowText row_text(const HistoryRecord& record);
std::string execution_metadata_text(const ExecutionMetadata& metadata);
std::string safety_metadata_text(const SafetyMetadata& metadata);
std::string tags_text(const std::vector<std::string>& tags);

// The statement that inserts a record into command_history
// (k_record_columns, parameters 1..15).
std::string insert_record_sql();

// Runs `insert` (insert_record_sql()) for the record and resets it. Errors:
// invalid_argument "a history entry with id ... already exists" for an id
// (or another unique value) already stored; the database's.
Result<void> insert_record(store::Statement& insert, const HistoryRecord& record, const RowText& text);

// Binds parameters 1..15 in k_record_columns order, the text without
// copies: `record` and `text` must stay as they are until the statement is
// reset (store::Statement::bind_static).
void bind_record(store::Statement& statement, const HistoryRecord& record, const RowText& text);

}  // namespace cmdai::history
