#include "history/jsonl_record.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/entity_json.h"
#include "core/time.h"
#include "core/uuid.h"

namespace cmdai::history {
namespace {

using nlohmann::json;

// The keys a line's entry is read from; any other key is skipped.
enum class Field : std::size_t {
  id,
  timestamp,
  command,
  user_input,
  explanation,
  shell_type,
  working_directory,
  execution_metadata,
  safety_metadata,
  tags,
  embedding_vector,
  relevance_score,
  favorite,
  use_count,
  none,
};
constexpr std::size_t k_fields = static_cast<std::size_t>(Field::none);
constexpr std::array<std::string_view, k_fields> k_field_names{"id",
                                                               "timestamp",
                                                               "command",
                                                               "user_input",
                                                               "explanation",
                                                               "shell_type",
                                                               "working_directory",
                                                               "execution_metadata",
                                                               "safety_metadata",
                                                               "tags",
                                                               "embedding_vector",
                                                               "relevance_score",
                                                               "favorite",
                                                               "use_count"};

Field field_named(std::string_view key) {
  const auto* it = std::find(k_field_names.begin(), k_field_names.end(), key);
  return static_cast<Field>(it - k_field_names.begin());
}

// nlohmann's SAX events for one line: the top-level object's known fields
// are kept as the values nlohmann's document would hold (the same types:
// integer, unsigned, float ...), each built by nlohmann's own document
// builder when it is an object or an array; everything else is skipped.
class LineFields {
 public:
  bool null() { return scalar(nullptr); }
  bool boolean(bool value) { return scalar(value); }
  bool number_integer(json::number_integer_t value) { return scalar(value); }
  bool number_unsigned(json::number_unsigned_t value) { return scalar(value); }
  bool number_float(json::number_float_t value, const json::string_t& text) {
    return m_builder ? m_builder->number_float(value, text) : scalar(value);
  }
  bool string(json::string_t& value) { return m_builder ? m_builder->string(value) : scalar(value); }
  bool binary(json::binary_t& /*unused*/) { return true; }  // JSON text has none

  bool start_object(std::size_t size) {
    if (m_depth == 0 && m_nested == 0) {
      m_depth = 1;
      m_object = true;
      return true;
    }
    return open(size, &Builder::start_object);
  }
  bool end_object() {
    if (m_nested == 0) {
      m_depth = 0;
      return true;
    }
    return close(&Builder::end_object);
  }
  bool start_array(std::size_t size) { return open(size, &Builder::start_array); }
  bool end_array() { return close(&Builder::end_array); }

  bool key(json::string_t& key) {
    if (m_builder) return m_builder->key(key);
    if (m_nested == 0) m_current = field_named(key);
    return true;
  }

  template <typename Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& /*error*/) {
    return false;
  }

  bool is_object() const { return m_object; }
  // The field's value, null when the line does not have it.
  json* find(Field field) {
    auto& value = m_values[static_cast<std::size_t>(field)];
    return value ? &*value : nullptr;
  }

 private:
  using Builder = nlohmann::detail::json_sax_dom_parser<json>;

  // A value directly in the top-level object (or the top-level value itself).
  template <typename Value>
  bool scalar(Value&& value) {
    if (m_builder) return forward(value);
    if (m_nested == 0 && m_depth == 1 && m_current != Field::none) {
      m_values[static_cast<std::size_t>(m_current)] = json(std::forward<Value>(value));
    }
    return true;
  }

  // A value inside a known field's object or array, to its builder.
  bool forward(std::nullptr_t /*unused*/) { return m_builder->null(); }
  bool forward(bool value) { return m_builder->boolean(value); }
  bool forward(json::number_integer_t value) { return m_builder->number_integer(value); }
  bool forward(json::number_unsigned_t value) { return m_builder->number_unsigned(value); }
  bool forward(json::number_float_t value) { return m_builder->number_float(value, {}); }
  bool forward(json::string_t& value) { return m_builder->string(value); }

  // An object or an array opens: the start of a known field's value (built
  // as a document), inside one, or anything else (skipped).
  bool open(std::size_t size, bool (Builder::*start)(std::size_t)) {
    if (m_nested == 0 && m_depth == 1 && m_current != Field::none) {
      auto& value = m_values[static_cast<std::size_t>(m_current)];
      value.emplace();
      m_builder.emplace(*value, false);
    }
    ++m_nested;
    return m_builder ? ((*m_builder).*start)(size) : true;
  }

  bool close(bool (Builder::*end)()) {
    const bool ok = m_builder ? ((*m_builder).*end)() : true;
    if (--m_nested == 0) m_builder.reset();
    return ok;
  }

  std::size_t m_depth = 0;   // 1 inside the top-level object
  std::size_t m_nested = 0;  // containers open within the current value
  bool m_object = false;
  Field m_current = Field::none;
  std::array<std::optional<json>, k_fields> m_values;
  std::optional<Builder> m_builder;  // builds the current known value's document
};

std::string take_string(json& value) { return std::move(value.get_ref<std::string&>()); }

// As entry_from_json reads a string field: absent or null is empty (or an
// error when required), anything but a string an error.
Result<std::string> string_field(LineFields& fields, Field field, bool required) {
  const std::string key(k_field_names[static_cast<std::size_t>(field)]);
  json* value = fields.find(field);
  if (value == nullptr || value->is_null()) {
    if (required) return fail(ErrorCode::invalid_argument, "missing field '" + key + "'");
    return std::string();
  }
  if (!value->is_string()) return fail(ErrorCode::invalid_argument, "field '" + key + "' must be a string");
  return take_string(*value);
}

Result<std::vector<std::string>> tags_field(LineFields& fields) {
  std::vector<std::string> out;
  json* value = fields.find(Field::tags);
  if (value == nullptr || value->is_null()) return out;
  if (!value->is_array()) return fail(ErrorCode::invalid_argument, "field 'tags' must be an array");
  for (auto& item : *value) {
    if (!item.is_string()) return fail(ErrorCode::invalid_argument, "field 'tags' must hold strings");
    out.push_back(take_string(item));
  }
  return out;
}

Result<void> read_id(LineFields& fields, CommandHistoryEntry& entry) {
  json* id = fields.find(Field::id);
  if (id == nullptr || id->is_null()) {
    entry.id = make_uuid_v4();
    return {};
  }
  if (!id->is_string()) return fail(ErrorCode::invalid_argument, "field 'id' must be a string");
  if (!is_uuid_v4(id->get_ref<const std::string&>())) {
    return fail(ErrorCode::invalid_argument, "id '" + id->get_ref<const std::string&>() + "' is not a UUID v4");
  }
  entry.id = take_string(*id);
  return {};
}

// The seed's text fields, in entry_from_json's order (its first error wins).
Result<void> read_text(LineFields& fields, CommandHistoryEntry& entry) {
  auto timestamp = string_field(fields, Field::timestamp, true);
  if (!timestamp) return fail(timestamp.error());
  auto time = parse_iso8601(*timestamp);
  if (!time) return fail(time.error());
  entry.timestamp = *time;
  auto command = string_field(fields, Field::command, true);
  if (!command) return fail(command.error());
  entry.command = std::move(*command);
  if (json* input = fields.find(Field::user_input); input != nullptr && !input->is_null()) {
    if (!input->is_string()) return fail(ErrorCode::invalid_argument, "field 'user_input' must be a string");
    entry.user_input = take_string(*input);
  }
  auto explanation = string_field(fields, Field::explanation, false);
  if (!explanation) return fail(explanation.error());
  entry.explanation = std::move(*explanation);
  auto shell = string_field(fields, Field::shell_type, false);
  if (!shell) return fail(shell.error());
  if (!shell->empty()) {
    auto parsed = parse_shell_type(*shell);
    if (!parsed) return fail(parsed.error());
    entry.shell_type = *parsed;
  }
  auto directory = string_field(fields, Field::working_directory, false);
  if (!directory) return fail(directory.error());
  entry.working_directory = std::move(*directory);
  return {};
}

Result<void> read_metadata(LineFields& fields, CommandHistoryEntry& entry) {
  if (json* value = fields.find(Field::execution_metadata); value != nullptr && !value->is_null()) {
    auto metadata = execution_metadata_from_json(*value);
    if (!metadata) return fail(metadata.error());
    entry.execution_metadata = std::move(*metadata);
  }
  if (json* value = fields.find(Field::safety_metadata); value != nullptr && !value->is_null()) {
    auto metadata = safety_metadata_from_json(*value);
    if (!metadata) return fail(metadata.error());
    entry.safety_metadata = std::move(*metadata);
  }
  auto tags = tags_field(fields);
  if (!tags) return fail(tags.error());
  entry.tags = std::move(*tags);
  if (json* value = fields.find(Field::embedding_vector); value != nullptr && value->is_array()) {
    auto vector = embedding_vector_from_json(*value);
    if (!vector) return fail(vector.error());
    entry.embedding_vector = std::move(*vector);
  }
  if (json* value = fields.find(Field::relevance_score); value != nullptr && value->is_number()) {
    entry.relevance_score = value->get<double>();
  }
  return {};
}

}  // namespace

Result<void> record_from_json_line(std::string_view line, HistoryRecord& record) {
  LineFields fields;
  if (!json::sax_parse(line.begin(), line.end(), &fields)) return fail(ErrorCode::invalid_argument, "not valid JSON");
  if (!fields.is_object()) return fail(ErrorCode::invalid_argument, "a history entry must be a JSON object");
  CommandHistoryEntry entry;
  CMDAI_TRY(read_id(fields, entry));
  CMDAI_TRY(read_text(fields, entry));
  CMDAI_TRY(read_metadata(fields, entry));
  CMDAI_TRY(validate(entry));
  record.entry = std::move(entry);
  if (json* favorite = fields.find(Field::favorite); favorite != nullptr && favorite->is_boolean()) {
    record.favorite = favorite->get<bool>();
  }
  if (json* uses = fields.find(Field::use_count); uses != nullptr && uses->is_number_integer()) {
    record.use_count = std::max<std::int64_t>(0, uses->get<std::int64_t>());
  }
  return {};
}

}  // namespace cmdai::history
