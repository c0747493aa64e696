#include "history/record_json.h"

#include "core/entity_json.h"

namespace cmdai::history {
namespace {

// Serialising with the replace handler and parsing back yields a value
// whose strings are all valid UTF-8.
nlohmann::json valid(const nlohmann::json& value) { return nlohmann::json::parse(json_text(value)); }

}  // namespace

nlohmann::json entry_to_json(const CommandHistoryEntry& entry) { return valid(to_json(entry)); }

nlohmann::json record_to_json(const HistoryRecord& record) {
  auto json = to_json(record.entry);
  json["favorite"] = record.favorite;
  json["use_count"] = record.use_count;
  return valid(json);
}

nlohmann::json result_to_json(const SearchResult& result) {
  return valid(nlohmann::json{{"entry", to_json(result.entry)},
                              {"similarity_score", result.similarity_score},
                              {"matching_context", result.matching_context},
                              {"explanation", result.explanation}});
}

}  // namespace cmdai::history
