#include "history/record_row.h"

#include <cstring>

#include "core/entity_json.h"
#include "core/time.h"

namespace cmdai::history {
namespace {

std::vector<std::uint8_t> pack_vector(const std::vector<float>& vector) {
  std::vector<std::uint8_t> bytes(vector.size() * sizeof(float));
  if (!bytes.empty()) std::memcpy(bytes.data(), vector.data(), bytes.size());
  return bytes;
}

void read_json_columns(const store::Statement& row, int first, CommandHistoryEntry& entry) {
  if (!row.is_null(first + 7)) {
    auto json = nlohmann::json::parse(row.column_text(first + 7), nullptr, false);
    if (auto metadata = execution_metadata_from_json(json)) entry.execution_metadata = std::move(*metadata);
  }
  if (!row.is_null(first + 8)) {
    auto json = nlohmann::json::parse(row.column_text(first + 8), nullptr, false);
    if (auto metadata = safety_metadata_from_json(json)) entry.safety_metadata = std::move(*metadata);
  }
  if (!row.is_null(first + 9)) {
    auto json = nlohmann::json::parse(row.column_text(first + 9), nullptr, false);
    if (json.is_array()) {
      for (const auto& tag : json) {
        if (tag.is_string()) entry.tags.push_back(tag.get<std::string>());
      }
    }
  }
}

}  // namespace

Result<HistoryRecord> read_record(const store::Statement& row, int first, Columns columns) {
  HistoryRecord record;
  CommandHistoryEntry& entry = record.entry;
  entry.id = row.column_text(first);
  entry.command = row.column_text(first + 1);
  if (!row.is_null(first + 2)) entry.user_input = row.column_text(first + 2);
  entry.explanation = row.column_text(first + 3);
  if (auto shell = parse_shell_type(row.column_text(first + 4))) entry.shell_type = *shell;
  entry.working_directory = row.column_text(first + 5);
  auto time = parse_iso8601(row.column_text(first + 6));
  if (!time) return fail(ErrorCode::corruption, "history entry " + entry.id + " has a bad timestamp");
  entry.timestamp = *time;
  read_json_columns(row, first, entry);
  if (!row.is_null(first + 10)) {
    const auto bytes = row.column_blob(first + 10);
    std::vector<float> vector(bytes.size() / sizeof(float));
    if (!vector.empty()) std::memcpy(vector.data(), bytes.data(), vector.size() * sizeof(float));
    entry.embedding_vector = std::move(vector);
  }
  if (columns == Columns::seed_only) return record;
  record.favorite = row.column_int(first + 11) != 0;
  record.use_count = row.column_int(first + 12);
  if (!row.is_null(first + 13)) record.hostname = row.column_text(first + 13);
  if (!row.is_null(first + 14)) record.session_id = row.column_text(first + 14);
  return record;
}

void bind_record(store::Statement& statement, const HistoryRecord& record) {
  const CommandHistoryEntry& entry = record.entry;
  statement.bind(1, entry.id).bind(2, entry.command).bind(3, entry.user_input).bind(4, entry.explanation);
  statement.bind(5, to_string(entry.shell_type)).bind(6, entry.working_directory);
  statement.bind(7, format_iso8601(entry.timestamp));
  if (entry.execution_metadata) {
    statement.bind(8, json_text(to_json(*entry.execution_metadata)));
  } else {
    statement.bind_null(8);
  }
  if (entry.safety_metadata) {
    statement.bind(9, json_text(to_json(*entry.safety_metadata)));
  } else {
    statement.bind_null(9);
  }
  statement.bind(10, json_text(nlohmann::json(entry.tags)));
  if (entry.embedding_vector) {
    const auto bytes = pack_vector(*entry.embedding_vector);
    statement.bind_blob(11, bytes.data(), bytes.size());
  } else {
    statement.bind_null(11);
  }
  statement.bind(12, std::int64_t{record.favorite ? 1 : 0}).bind(13, record.use_count);
  statement.bind(14, record.hostname).bind(15, record.session_id);
}

}  // namespace cmdai::history
