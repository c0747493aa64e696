#pragma once
// One JSONL line of `cmdai history import --format jsonl` read into a
// record, without building the line's JSON document: the parser's events
// go straight to the fields an entry has (core/entity_json.h's names, plus
// "favorite" and "use_count"), and the fields it does not know are
// checked for syntax and skipped.
//
// Accepts exactly what parsing the line with nlohmann::json and reading it
// with entry_from_json() accepts, and rejects the rest with the same
// message: "not valid JSON" (bad syntax, invalid UTF-8, a lone surrogate),
// "a history entry must be a JSON object", the id's and the fields' own
// errors, in that order. A missing or null id becomes a new UUID v4. Of a
// key given twice, the last value counts.

#include <string_view>

#include "core/error.h"
#include "history/history_store.h"

namespace cmdai::history {

// Reads `line` into `record` (overwriting its entry, and its favourite mark
// and use count when the line has them). Errors: invalid_argument, with
// why the line is not an entry; `record` is then unspecified.
Result<void> record_from_json_line(std::string_view line, HistoryRecord& record);

}  // namespace cmdai::history
