// HistoryStore::record_execution: what happened when the command ran.

#include "core/entity_json.h"
#include "history/history_store.h"

namespace cmdai::history {

Result<void> HistoryStore::record_execution(const std::string& id, const ExecutionMetadata& metadata,
                                            bool user_confirmed) {
  // Entries without safety metadata get one that says only whether the user
  // confirmed; json_set keeps the other fields of an existing one.
  auto statement = m_db.prepare(
      "UPDATE command_history SET execution_metadata = ?2, "
      "safety_metadata = json_set(COALESCE(safety_metadata, ?4), '$.user_confirmed', json(?3)) WHERE id = ?1");
  if (!statement) return fail(statement.error());
  SafetyMetadata fallback;
  fallback.user_confirmed = user_confirmed;
  statement->bind(1, id).bind(2, to_json(metadata).dump());
  statement->bind(3, std::string_view(user_confirmed ? "true" : "false")).bind(4, to_json(fallback).dump());
  CMDAI_TRY(statement->run());
  if (m_db.changes() == 0) return fail(ErrorCode::not_found, "no history entry with id " + id);
  return {};
}

}  // namespace cmdai::history
