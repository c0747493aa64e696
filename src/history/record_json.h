#pragma once
// History entries as JSON for people and programs (`--json`, `history
// show`, `search --json`). Entry fields are the seed's (core/entity_json.h);
// records add "favorite" and "use_count". Commands may hold any bytes:
// invalid UTF-8 is shown as U+FFFD here (the database keeps the bytes), so
// printing never fails.

#include <nlohmann/json.hpp>

#include "core/entities.h"
#include "history/history_store.h"
#include "history/search.h"

namespace cmdai::history {

nlohmann::json entry_to_json(const CommandHistoryEntry& entry);
nlohmann::json record_to_json(const HistoryRecord& record);
// {entry, similarity_score, matching_context, explanation}
nlohmann::json result_to_json(const SearchResult& result);

}  // namespace cmdai::history
