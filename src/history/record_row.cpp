#include "history/record_row.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
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

namespace {

// Text nlohmann writes as it is: printable ASCII but the quote and the
// backslash. Anything else goes through nlohmann itself (escapes, U+FFFD).
bool plain_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
}

void append_string(std::string& out, std::string_view text) {
  if (plain_ascii(text)) {
    out += '"';
    out += text;
    out += '"';
  } else {
    out += json_text(nlohmann::json(std::string(text)));
  }
}

// As nlohmann writes a double: the shortest text that reads back the same
// (Grisu2), "null" when not finite.
void append_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  std::array<char, 64> buffer{};
  const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  std::array<char, 24> buffer{};
  const char* end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

void append_key(std::string& out, std::string_view key) {
  out += out.size() == 1 ? "\"" : ",\"";
  out += key;
  out += "\":";
}

}  // namespace

// Keys in the order nlohmann's object (a std::map) writes them.
std::string execution_metadata_text(const ExecutionMetadata& m) {
  std::string out = "{";
  out.reserve(160);
  append_key(out, "backend_used");
  append_string(out, m.backend_used);
  append_key(out, "execution_time");
  m.execution_time ? append_double(out, to_millis(*m.execution_time)) : void(out += "null");
  append_key(out, "exit_code");
  m.exit_code ? append_integer(out, *m.exit_code) : void(out += "null");
  append_key(out, "generation_time");
  append_double(out, to_millis(m.generation_time));
  append_key(out, "output_size");
  m.output_size ? append_integer(out, *m.output_size) : void(out += "null");
  append_key(out, "validation_time");
  append_double(out, to_millis(m.validation_time));
  out += '}';
  return out;
}

std::string safety_metadata_text(const SafetyMetadata& m) {
  std::string out = "{";
  out.reserve(96);
  append_key(out, "patterns_matched");
  out += tags_text(m.patterns_matched);
  append_key(out, "risk_level");
  append_string(out, to_string(m.risk_level));
  append_key(out, "safety_score");
  append_double(out, m.safety_score);
  append_key(out, "user_confirmed");
  out += m.user_confirmed ? "true" : "false";
  out += '}';
  return out;
}

std::string tags_text(const std::vector<std::string>& tags) {
  std::string out = "[";
  for (const auto& tag : tags) {
    if (out.size() > 1) out += ',';
    append_string(out, tag);
  }
  out += ']';
  return out;
}

RowText row_text(const HistoryRecord& record) {
  const CommandHistoryEntry& entry = record.entry;
  RowText text;
  text.timestamp = format_iso8601(entry.timestamp);
  if (entry.execution_metadata) text.execution_metadata = execution_metadata_text(*entry.execution_metadata);
  if (entry.safety_metadata) text.safety_metadata = safety_metadata_text(*entry.safety_metadata);
  text.tags = tags_text(entry.tags);
  return text;
}

// The record's and the text's strings outlive the statement's step (the
// caller holds both, and insert_record resets the statement before it
// returns): they are bound without copies. The shell's name is a constant.
void bind_record(store::Statement& statement, const HistoryRecord& record, const RowText& text) {
  const CommandHistoryEntry& entry = record.entry;
  statement.bind_static(1, entry.id).bind_static(2, entry.command).bind_static(3, entry.user_input);
  statement.bind_static(4, entry.explanation).bind_static(5, to_string(entry.shell_type));
  statement.bind_static(6, entry.working_directory).bind_static(7, text.timestamp);
  statement.bind_static(8, text.execution_metadata).bind_static(9, text.safety_metadata);
  statement.bind_static(10, text.tags);
  if (entry.embedding_vector) {
    const auto bytes = pack_vector(*entry.embedding_vector);
    statement.bind_blob(11, bytes.data(), bytes.size());
  } else {
    statement.bind_null(11);
  }
  statement.bind(12, std::int64_t{record.favorite ? 1 : 0}).bind(13, record.use_count);
  statement.bind_static(14, record.hostname).bind_static(15, record.session_id);
}

std::string insert_record_sql() {
  return "INSERT INTO command_history (" + std::string(k_record_columns) +
         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
}

Result<void> insert_record(store::Statement& insert, const HistoryRecord& record, const RowText& text) {
  bind_record(insert, record, text);
  auto ran = insert.run();
  // reset() only rewinds the statement; run() reported any error.
  (void)insert.reset();
  if (!ran && ran.error().code == ErrorCode::invalid_argument) {
    return fail(ErrorCode::invalid_argument, "a history entry with id " + record.entry.id + " already exists");
  }
  return ran;
}

}  // namespace cmdai::history
