#include "history/history_store.h"

#include <cstring>

#include "core/entity_json.h"
#include "core/time.h"
#include "store/migrations.h"

namespace cmdai::history {
namespace {

constexpr std::string_view k_columns =
    "id, command, user_input, explanation, shell_type, working_directory, timestamp, execution_metadata, "
    "safety_metadata, tags, embedding_vector";

std::vector<std::uint8_t> pack_vector(const std::vector<float>& vector) {
  std::vector<std::uint8_t> bytes(vector.size() * sizeof(float));
  std::memcpy(bytes.data(), vector.data(), bytes.size());
  return bytes;
}

Result<CommandHistoryEntry> read_row(const store::Statement& row) {
  CommandHistoryEntry entry;
  entry.id = row.column_text(0);
  entry.command = row.column_text(1);
  if (!row.is_null(2)) entry.user_input = row.column_text(2);
  entry.explanation = row.column_text(3);
  if (auto shell = parse_shell_type(row.column_text(4))) entry.shell_type = *shell;
  entry.working_directory = row.column_text(5);
  auto time = parse_iso8601(row.column_text(6));
  if (!time) return fail(ErrorCode::corruption, "history entry " + entry.id + " has a bad timestamp");
  entry.timestamp = *time;
  if (!row.is_null(7)) {
    auto json = nlohmann::json::parse(row.column_text(7), nullptr, false);
    if (auto metadata = execution_metadata_from_json(json)) entry.execution_metadata = std::move(*metadata);
  }
  if (!row.is_null(8)) {
    auto json = nlohmann::json::parse(row.column_text(8), nullptr, false);
    if (auto metadata = safety_metadata_from_json(json)) entry.safety_metadata = std::move(*metadata);
  }
  if (!row.is_null(9)) {
    auto json = nlohmann::json::parse(row.column_text(9), nullptr, false);
    if (json.is_array()) {
      for (const auto& tag : json) {
        if (tag.is_string()) entry.tags.push_back(tag.get<std::string>());
      }
    }
  }
  if (!row.is_null(10)) {
    const auto bytes = row.column_blob(10);
    std::vector<float> vector(bytes.size() / sizeof(float));
    std::memcpy(vector.data(), bytes.data(), vector.size() * sizeof(float));
    entry.embedding_vector = std::move(vector);
  }
  return entry;
}

}  // namespace

Result<HistoryStore> HistoryStore::open(const std::filesystem::path& path) {
  auto db = store::Database::open(path);
  if (!db) return fail(db.error());
  CMDAI_TRY(store::migrate(*db));
  return HistoryStore(std::move(*db));
}

Result<void> HistoryStore::insert(const CommandHistoryEntry& entry) {
  CMDAI_TRY(validate(entry));
  auto statement = m_db.prepare("INSERT INTO command_history (" + std::string(k_columns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!statement) return fail(statement.error());
  statement->bind(1, entry.id).bind(2, entry.command).bind(3, entry.user_input).bind(4, entry.explanation);
  statement->bind(5, to_string(entry.shell_type)).bind(6, entry.working_directory);
  statement->bind(7, format_iso8601(entry.timestamp));
  if (entry.execution_metadata) {
    statement->bind(8, to_json(*entry.execution_metadata).dump());
  } else {
    statement->bind_null(8);
  }
  if (entry.safety_metadata) {
    statement->bind(9, to_json(*entry.safety_metadata).dump());
  } else {
    statement->bind_null(9);
  }
  statement->bind(10, nlohmann::json(entry.tags).dump());
  if (entry.embedding_vector) {
    const auto bytes = pack_vector(*entry.embedding_vector);
    statement->bind_blob(11, bytes.data(), bytes.size());
  } else {
    statement->bind_null(11);
  }
  return statement->run();
}

Result<std::optional<CommandHistoryEntry>> HistoryStore::get(const std::string& id) {
  auto statement = m_db.prepare("SELECT " + std::string(k_columns) + " FROM command_history WHERE id = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, id);
  auto row = statement->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<CommandHistoryEntry>{};
  auto entry = read_row(*statement);
  if (!entry) return fail(entry.error());
  return std::optional<CommandHistoryEntry>(std::move(*entry));
}

Result<std::vector<CommandHistoryEntry>> HistoryStore::list(Page page) {
  auto statement = m_db.prepare("SELECT " + std::string(k_columns) +
                                " FROM command_history ORDER BY timestamp DESC, rowid DESC LIMIT ?1 OFFSET ?2");
  if (!statement) return fail(statement.error());
  statement->bind(1, page.limit).bind(2, page.offset);
  std::vector<CommandHistoryEntry> entries;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto entry = read_row(*statement);
    if (!entry) return fail(entry.error());
    entries.push_back(std::move(*entry));
  }
  return entries;
}

Result<std::int64_t> HistoryStore::count() { return m_db.query_int("SELECT count(*) FROM command_history"); }

}  // namespace cmdai::history
