#include "team/push.h"

#include <nlohmann/json.hpp>

#include "core/entity_json.h"
#include "core/time.h"
#include "history/push_marks.h"
#include "team/copy_text.h"

namespace cmdai::team {
namespace {

constexpr std::string_view k_columns =
    "id, user_name, hostname, command, user_input, explanation, shell_type, working_directory, \"timestamp\", "
    "execution_metadata, safety_metadata, tags, favorite, use_count";

// Rows arrive in a temporary table first: COPY cannot say ON CONFLICT.
constexpr std::string_view k_incoming_table =
    "CREATE TEMP TABLE IF NOT EXISTS cmdai_incoming (id UUID, user_name TEXT, hostname TEXT, command TEXT, "
    "user_input TEXT, explanation TEXT, shell_type TEXT, working_directory TEXT, \"timestamp\" TIMESTAMPTZ, "
    "execution_metadata JSONB, safety_metadata JSONB, tags JSONB, favorite BOOLEAN, use_count INTEGER) "
    "ON COMMIT DELETE ROWS";

void append_row(std::string& data, const history::HistoryRecord& record, const PushOptions& options) {
  const CommandHistoryEntry& entry = record.entry;
  auto json = [](const auto& value) { return json_text(to_json(value)); };
  const std::string timestamp = format_iso8601(entry.timestamp);
  const std::string execution = entry.execution_metadata ? json(*entry.execution_metadata) : "";
  const std::string safety = entry.safety_metadata ? json(*entry.safety_metadata) : "";
  const std::string tags = json_text(nlohmann::json(entry.tags));
  const std::string use_count = std::to_string(record.use_count);
  append_copy_value(data, entry.id, true);
  append_copy_value(data, options.user);
  append_copy_value(data, record.hostname && !record.hostname->empty() ? *record.hostname : options.host);
  append_copy_value(data, entry.command);
  append_copy_value(data, entry.user_input ? std::optional<std::string_view>(*entry.user_input) : std::nullopt);
  append_copy_value(data, entry.explanation);
  append_copy_value(data, to_string(entry.shell_type));
  append_copy_value(data, entry.working_directory);
  append_copy_value(data, timestamp);
  append_copy_value(data, entry.execution_metadata ? std::optional<std::string_view>(execution) : std::nullopt);
  append_copy_value(data, entry.safety_metadata ? std::optional<std::string_view>(safety) : std::nullopt);
  append_copy_value(data, tags);
  append_copy_value(data, record.favorite ? "t" : "f");
  append_copy_value(data, use_count);
  data += '\n';
}

// One batch in one server transaction; returns how many rows were new there.
Result<std::int64_t> upload(Connection& connection, const std::string& data) {
  auto transaction = ServerTransaction::begin(connection);
  if (!transaction) return fail(transaction.error());
  CMDAI_TRY(connection.exec(k_incoming_table));
  CMDAI_TRY(connection.copy_begin("COPY cmdai_incoming FROM STDIN"));
  CMDAI_TRY(connection.copy_send(data));
  CMDAI_TRY(connection.copy_end());
  // The words of the entries that were new go into cmdai_words (typo
  // tolerance), in sorted order so that two pushes never wait on each other
  // in a cycle.
  auto inserted = connection.query(
      "WITH inserted AS (INSERT INTO command_history (" + std::string(k_columns) + ") SELECT " +
      std::string(k_columns) +
      " FROM cmdai_incoming ON CONFLICT (id) DO NOTHING RETURNING search), "
      "words AS (INSERT INTO cmdai_words (word) SELECT DISTINCT w.lexeme FROM inserted, unnest(inserted.search) AS w "
      "ORDER BY 1 ON CONFLICT DO NOTHING) "
      "SELECT count(*) FROM inserted");
  if (!inserted) return fail(inserted.error());
  const std::int64_t new_rows = inserted->integer(0, 0);
  CMDAI_TRY(transaction->commit());
  return new_rows;
}

Error interrupted(Error error, const PushReport& report) {
  error.message += " (" + std::to_string(report.sent) + " entries were pushed before this; the rest stay queued)";
  return error;
}

}  // namespace

Result<PushReport> push(history::HistoryStore& store, Connection& connection, const std::string& server_key,
                        const PushOptions& options) {
  PushReport report;
  std::int64_t after = 0;
  while (true) {
    auto batch = history::unpushed_records(store, server_key, after, options.batch_size);
    if (!batch) return fail(interrupted(batch.error(), report));
    if (batch->empty()) return report;
    after = batch->back().rowid;
    std::string data;
    std::vector<std::string> ids;
    for (const auto& pending : *batch) {
      const Outgoing outgoing = prepare_for_push(pending.record, options.policy);
      if (outgoing.verdict != PushVerdict::push) {
        ++report.kept_back;
        continue;
      }
      append_row(data, outgoing.record, options);
      ids.push_back(outgoing.record.entry.id);
    }
    if (ids.empty()) continue;
    auto inserted = upload(connection, data);
    if (!inserted) return fail(interrupted(inserted.error(), report));
    if (auto marked = history::mark_pushed(store, server_key, ids, options.now); !marked)
      return fail(interrupted(marked.error(), report));
    report.sent += static_cast<std::int64_t>(ids.size());
    report.new_on_server += *inserted;
  }
}

Result<std::int64_t> pending_count(history::HistoryStore& store, const std::string& server_key,
                                   const PushPolicy& policy) {
  std::int64_t pending = 0;
  std::int64_t after = 0;
  while (true) {
    auto batch = history::unpushed_records(store, server_key, after, k_push_batch);
    if (!batch) return fail(batch.error());
    if (batch->empty()) return pending;
    after = batch->back().rowid;
    for (const auto& record : *batch) {
      if (prepare_for_push(record.record, policy).verdict == PushVerdict::push) ++pending;
    }
  }
}

}  // namespace cmdai::team
