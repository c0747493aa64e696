#include "core/entity_json.h"

#include <cmath>

#include "core/time.h"

namespace cmdai {
namespace {

using nlohmann::json;

Result<std::string> get_string(const json& object, const char* key, bool required) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) return fail(ErrorCode::invalid_argument, std::string("missing field '") + key + "'");
    return std::string();
  }
  if (!it->is_string()) return fail(ErrorCode::invalid_argument, std::string("field '") + key + "' must be a string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> get_strings(const json& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return out;
  if (!it->is_array()) return fail(ErrorCode::invalid_argument, std::string("field '") + key + "' must be an array");
  for (const auto& item : *it) {
    if (!item.is_string()) {
      return fail(ErrorCode::invalid_argument, std::string("field '") + key + "' must hold strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<double> get_number(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

std::string json_text(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

double to_millis(Micros duration) { return static_cast<double>(duration.count()) / 1000.0; }

Micros from_millis(double millis) {
  if (!std::isfinite(millis) || millis < 0) return Micros{0};
  return Micros{static_cast<Micros::rep>(std::llround(millis * 1000.0))};
}

json to_json(const ExecutionMetadata& m) {
  json out = json::object();
  out["exit_code"] = m.exit_code ? json(*m.exit_code) : json(nullptr);
  out["execution_time"] = m.execution_time ? json(to_millis(*m.execution_time)) : json(nullptr);
  out["output_size"] = m.output_size ? json(*m.output_size) : json(nullptr);
  out["backend_used"] = m.backend_used;
  out["generation_time"] = to_millis(m.generation_time);
  out["validation_time"] = to_millis(m.validation_time);
  return out;
}

json to_json(const SafetyMetadata& m) {
  return json{{"risk_level", to_string(m.risk_level)},
              {"patterns_matched", m.patterns_matched},
              {"user_confirmed", m.user_confirmed},
              {"safety_score", m.safety_score}};
}

json to_json(const CommandHistoryEntry& e, Embedding embedding) {
  json out = json::object();
  out["id"] = e.id;
  out["timestamp"] = format_iso8601(e.timestamp);
  out["command"] = e.command;
  out["user_input"] = e.user_input ? json(*e.user_input) : json(nullptr);
  out["explanation"] = e.explanation;
  out["shell_type"] = to_string(e.shell_type);
  out["working_directory"] = e.working_directory;
  out["execution_metadata"] = e.execution_metadata ? to_json(*e.execution_metadata) : json(nullptr);
  out["safety_metadata"] = e.safety_metadata ? to_json(*e.safety_metadata) : json(nullptr);
  out["tags"] = e.tags;
  if (embedding == Embedding::include && e.embedding_vector) out["embedding_vector"] = *e.embedding_vector;
  out["relevance_score"] = e.relevance_score ? json(*e.relevance_score) : json(nullptr);
  return out;
}

Result<ExecutionMetadata> execution_metadata_from_json(const json& j) {
  if (!j.is_object()) return fail(ErrorCode::invalid_argument, "execution_metadata must be an object");
  ExecutionMetadata m;
  if (auto it = j.find("exit_code"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return fail(ErrorCode::invalid_argument, "exit_code must be an integer");
    m.exit_code = it->get<int>();
  }
  if (auto v = get_number(j, "execution_time")) m.execution_time = from_millis(*v);
  if (auto it = j.find("output_size"); it != j.end() && it->is_number_unsigned()) {
    m.output_size = it->get<std::uint64_t>();
  }
  auto backend = get_string(j, "backend_used", false);
  if (!backend) return fail(backend.error());
  m.backend_used = *backend;
  if (auto v = get_number(j, "generation_time")) m.generation_time = from_millis(*v);
  if (auto v = get_number(j, "validation_time")) m.validation_time = from_millis(*v);
  return m;
}

Result<SafetyMetadata> safety_metadata_from_json(const json& j) {
  if (!j.is_object()) return fail(ErrorCode::invalid_argument, "safety_metadata must be an object");
  SafetyMetadata m;
  auto level = get_string(j, "risk_level", true);
  if (!level) return fail(level.error());
  auto parsed = parse_risk_level(*level);
  if (!parsed) return fail(parsed.error());
  m.risk_level = *parsed;
  auto patterns = get_strings(j, "patterns_matched");
  if (!patterns) return fail(patterns.error());
  m.patterns_matched = std::move(*patterns);
  if (auto it = j.find("user_confirmed"); it != j.end() && it->is_boolean()) m.user_confirmed = it->get<bool>();
  if (auto v = get_number(j, "safety_score")) m.safety_score = *v;
  return m;
}

Result<std::vector<float>> embedding_vector_from_json(const json& array) {
  std::vector<float> vector;
  vector.reserve(array.size());
  for (const auto& value : array) {
    if (!value.is_number()) return fail(ErrorCode::invalid_argument, "embedding_vector must hold numbers");
    vector.push_back(value.get<float>());
  }
  return vector;
}

Result<CommandHistoryEntry> entry_from_json(const json& j) {
  if (!j.is_object()) return fail(ErrorCode::invalid_argument, "a history entry must be a JSON object");
  CommandHistoryEntry e;
  auto id = get_string(j, "id", true);
  if (!id) return fail(id.error());
  e.id = *id;
  auto timestamp = get_string(j, "timestamp", true);
  if (!timestamp) return fail(timestamp.error());
  auto parsed_time = parse_iso8601(*timestamp);
  if (!parsed_time) return fail(parsed_time.error());
  e.timestamp = *parsed_time;
  auto command = get_string(j, "command", true);
  if (!command) return fail(command.error());
  e.command = *command;
  if (auto it = j.find("user_input"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return fail(ErrorCode::invalid_argument, "field 'user_input' must be a string");
    e.user_input = it->get<std::string>();
  }
  auto explanation = get_string(j, "explanation", false);
  if (!explanation) return fail(explanation.error());
  e.explanation = *explanation;
  auto shell = get_string(j, "shell_type", false);
  if (!shell) return fail(shell.error());
  if (!shell->empty()) {
    auto parsed_shell = parse_shell_type(*shell);
    if (!parsed_shell) return fail(parsed_shell.error());
    e.shell_type = *parsed_shell;
  }
  auto cwd = get_string(j, "working_directory", false);
  if (!cwd) return fail(cwd.error());
  e.working_directory = *cwd;
  if (auto it = j.find("execution_metadata"); it != j.end() && !it->is_null()) {
    auto m = execution_metadata_from_json(*it);
    if (!m) return fail(m.error());
    e.execution_metadata = std::move(*m);
  }
  if (auto it = j.find("safety_metadata"); it != j.end() && !it->is_null()) {
    auto m = safety_metadata_from_json(*it);
    if (!m) return fail(m.error());
    e.safety_metadata = std::move(*m);
  }
  auto tags = get_strings(j, "tags");
  if (!tags) return fail(tags.error());
  e.tags = std::move(*tags);
  if (auto it = j.find("embedding_vector"); it != j.end() && it->is_array()) {
    auto vector = embedding_vector_from_json(*it);
    if (!vector) return fail(vector.error());
    e.embedding_vector = std::move(*vector);
  }
  if (auto v = get_number(j, "relevance_score")) e.relevance_score = *v;
  CMDAI_TRY(validate(e));
  return e;
}

}  // namespace cmdai
