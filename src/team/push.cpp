#include "team/push.h"

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <memory_resource>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_set>

#include "core/entity_json.h"
#include "core/time.h"
#include "history/push_marks.h"
#include "team/copy_binary.h"
#include "team/search_words.h"

namespace cmdai::team {
namespace {

constexpr std::string_view k_columns =
    "id, user_name, hostname, command, user_input, explanation, shell_type, working_directory, \"timestamp\", "
    "execution_metadata, safety_metadata, tags, favorite, use_count";

// Rows arrive in a temporary table first: COPY cannot say ON CONFLICT.
// search_vector holds the entry's vector where it was built here; else the
// *_words columns hold the fields split into words here (search_words.h),
// or NULL where the server splits them.
constexpr std::string_view k_incoming_table =
    "CREATE TEMP TABLE IF NOT EXISTS cmdai_incoming (id UUID, user_name TEXT, hostname TEXT, command TEXT, "
    "user_input TEXT, explanation TEXT, shell_type TEXT, working_directory TEXT, \"timestamp\" TIMESTAMPTZ, "
    "execution_metadata JSONB, safety_metadata JSONB, tags JSONB, favorite BOOLEAN, use_count INTEGER, "
    "command_words TEXT, input_words TEXT, tag_words TEXT, explanation_words TEXT, search_vector TSVECTOR) "
    "ON COMMIT DELETE ROWS; "
    "CREATE TEMP TABLE IF NOT EXISTS cmdai_incoming_words (word TEXT) ON COMMIT DELETE ROWS";

// Migration 1's generated column (server_schema.cpp), over the words split
// here where there are some, unless the vector was built here.
constexpr std::string_view k_search_vector =
    "coalesce(search_vector, setweight(to_tsvector('simple', coalesce(command_words, "
    "regexp_replace(command, '[[:punct:][:space:]]+', ' ', 'g'))), 'A') || "
    "setweight(to_tsvector('simple', coalesce(input_words, "
    "regexp_replace(coalesce(user_input, ''), '[[:punct:][:space:]]+', ' ', 'g'))), 'B') || "
    "setweight(to_tsvector('simple', coalesce(tag_words, "
    "regexp_replace(tags::text, '[[:punct:][:space:]]+', ' ', 'g'))), 'C') || "
    "setweight(to_tsvector('simple', coalesce(explanation_words, "
    "regexp_replace(explanation, '[[:punct:][:space:]]+', ' ', 'g'))), 'D'))";

// The words of the entries go into cmdai_words (typo tolerance): those
// of the vectors built here arrive in cmdai_incoming_words, each once per
// push (PushWords); the server reads the words of the new entries whose
// vectors it built itself with tsvector_to_array. A word sent for an
// entry the server had already is in cmdai_words since that entry came,
// so the table holds the words of the entries, as when the server read
// them all. Entries in id order and words in sorted order: two pushes
// never wait on each other in a cycle.
std::string insert_sql() {
  const std::string columns(k_columns);
  return "WITH inserted AS (INSERT INTO command_history (" + columns + ", search) SELECT " + columns + ", " +
         std::string(k_search_vector) +
         " FROM cmdai_incoming ORDER BY id ON CONFLICT (id) DO NOTHING RETURNING id, search), "
         "words AS (INSERT INTO cmdai_words (word) SELECT word FROM cmdai_incoming_words UNION "
         "SELECT unnest(tsvector_to_array(search)) FROM inserted "
         "WHERE id IN (SELECT id FROM cmdai_incoming WHERE search_vector IS NULL) "
         "ORDER BY 1 ON CONFLICT DO NOTHING) "
         "SELECT count(*) FROM inserted";
}

// Hashes std::string and std::string_view alike, so a word read from a
// vector is looked up without a copy.
struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const { return std::hash<std::string_view>{}(word); }
};
using WordSet = std::unordered_set<std::string, WordHash, std::equal_to<>>;
// The push's words live in an arena of their own: tens of thousands of
// small strings kept to the end, interleaved with the batches' short-lived
// buffers on the heap, made each later allocation there slower.
using ArenaWordSet = std::pmr::unordered_set<std::pmr::string, WordHash, std::equal_to<>>;

// The words of the vectors built here that a batch sends: each word once
// per push, unless the batch that sent it was not committed (yet) when
// the next one was read, which then sends it again. Not thread-safe.
class PushWords {
 public:
  // The words of a vector search_vector built.
  void add(std::string_view vector) {
    m_words.clear();
    WordSeparators::append_vector_words(vector, m_words);
    for (std::string_view word : m_words) {
      if (!m_on_server.contains(word) && !m_batch.contains(word)) m_batch.emplace(word);
    }
  }

  // The words added since the last take.
  std::vector<std::string> take() {
    std::vector<std::string> words;
    words.reserve(m_batch.size());
    while (!m_batch.empty()) words.push_back(std::move(m_batch.extract(m_batch.begin()).value()));
    return words;
  }

  // The words of a batch the server committed: on the server from now on.
  void committed(std::vector<std::string>&& words) {
    for (const auto& word : words) m_on_server.emplace(word);
  }

 private:
  std::pmr::monotonic_buffer_resource m_arena;  // m_on_server's nodes and words, freed together
  ArenaWordSet m_on_server{&m_arena};
  WordSet m_batch;
  std::vector<std::string_view> m_words;  // one vector's, reused
};

// The strings that go to the server as JSON without a NUL byte; the tags
// before their words are split, so that the words match the stored tags.
void replace_nul_in_json(CommandHistoryEntry& entry) {
  for (auto& tag : entry.tags) replace_nul(tag);
  if (entry.execution_metadata) replace_nul(entry.execution_metadata->backend_used);
  if (entry.safety_metadata) {
    for (auto& pattern : entry.safety_metadata->patterns_matched) replace_nul(pattern);
  }
}

std::optional<std::string_view> view(const std::optional<std::string>& text) {
  return text ? std::optional<std::string_view>(*text) : std::nullopt;
}

constexpr std::int16_t k_incoming_columns = 19;

// One entry as a row of cmdai_incoming; false, with nothing written, when
// its id is not a UUID (history checks ids as it stores them, so only a
// damaged row can have such an id).
bool append_row(CopyBinary& data, const history::HistoryRecord& record, const PushOptions& options,
                const WordSeparators& separators, PushWords& push_words) {
  const CommandHistoryEntry& entry = record.entry;
  const auto id = uuid_bytes(entry.id);
  if (!id) return false;
  auto json = [](const auto& value) { return json_text(to_json(value)); };
  const std::string execution = entry.execution_metadata ? json(*entry.execution_metadata) : "";
  const std::string safety = entry.safety_metadata ? json(*entry.safety_metadata) : "";
  const std::string tags = json_text(nlohmann::json(entry.tags));
  data.begin_row(k_incoming_columns);
  data.uuid(*id);
  data.text(options.user);
  data.text(record.hostname && !record.hostname->empty() ? *record.hostname : options.host);
  data.text(entry.command);
  data.text(view(entry.user_input));
  data.text(entry.explanation);
  data.text(to_string(entry.shell_type));
  data.text(entry.working_directory);
  data.timestamptz(entry.timestamp);
  data.jsonb(entry.execution_metadata ? std::optional<std::string_view>(execution) : std::nullopt);
  data.jsonb(entry.safety_metadata ? std::optional<std::string_view>(safety) : std::nullopt);
  data.jsonb(tags);
  data.boolean(record.favorite);
  data.int4(static_cast<std::int32_t>(
      std::clamp<std::int64_t>(record.use_count, 0, std::numeric_limits<std::int32_t>::max())));
  const std::array<std::optional<std::string>, 4> words{
      separators.words(entry.command), separators.words(entry.user_input.value_or("")),
      separators.tag_words(entry.tags), separators.words(entry.explanation)};
  const auto vector = separators.search_vector(words);
  for (const auto& field_words : words) data.text(vector ? std::nullopt : view(field_words));
  data.binary(view(vector));
  if (vector) push_words.add(*vector);
  return true;
}

// Entries to send, in COPY's binary format.
struct Batch {
  std::string data;
  std::vector<std::string> ids;    // the entries in data, in id order
  std::string word_data;           // rows of cmdai_incoming_words; "" when none
  std::vector<std::string> words;  // the words in word_data
  std::int64_t kept_back = 0;      // entries the policy kept on this machine
};

class BatchReader {
 public:
  BatchReader(history::HistoryStore& store, const std::string& server_key, const PushOptions& options,
              WordSeparators separators, PushWords& words)
      : m_store(store), m_server_key(server_key), m_options(options), m_separators(separators), m_words(words) {}

  // The next batch that holds an entry to send; empty when none is left.
  Result<Batch> next() {
    Batch batch;
    while (batch.ids.empty()) {
      auto records = history::unpushed_records(m_store, m_server_key, m_after, m_options.batch_size);
      if (!records) return fail(records.error());
      if (records->empty()) return batch;
      m_after = records->back().rowid;
      std::vector<history::HistoryRecord> outgoing;
      outgoing.reserve(records->size());
      for (const auto& pending : *records) {
        Outgoing prepared = prepare_for_push(pending.record, m_options.policy);
        if (prepared.verdict != PushVerdict::push) {
          ++batch.kept_back;
          continue;
        }
        replace_nul_in_json(prepared.record.entry);
        outgoing.push_back(std::move(prepared.record));
      }
      encode(outgoing, batch);
    }
    return batch;
  }

 private:
  // In id order: the server inserts them in that order and so finds them
  // sorted already.
  void encode(std::vector<history::HistoryRecord>& outgoing, Batch& batch) {
    std::sort(outgoing.begin(), outgoing.end(), [](const auto& a, const auto& b) { return a.entry.id < b.entry.id; });
    CopyBinary data;
    for (const auto& record : outgoing) {
      if (!append_row(data, record, m_options, m_separators, m_words)) {
        ++batch.kept_back;
        continue;
      }
      batch.ids.push_back(record.entry.id);
    }
    batch.data = data.finish();
    batch.words = m_words.take();
    if (batch.words.empty()) return;
    CopyBinary words;
    for (const auto& word : batch.words) {
      words.begin_row(1);
      words.text(word);
    }
    batch.word_data = words.finish();
  }

  history::HistoryStore& m_store;
  const std::string& m_server_key;
  const PushOptions& m_options;
  WordSeparators m_separators;
  PushWords& m_words;
  std::int64_t m_after = 0;
};

Error interrupted(Error error, const PushReport& report) {
  error.message += " (" + std::to_string(report.sent) + " entries were pushed before this; the rest stay queued)";
  return error;
}

// One batch on its way: COPY done, the INSERT and COMMIT sent.
struct Upload {
  ServerTransaction transaction;
  std::vector<std::string> ids;
  std::vector<std::string> words;  // sent in cmdai_incoming_words
};

Result<Upload> start_upload(Connection& connection, Batch batch) {
  auto transaction = ServerTransaction::begin(connection);
  if (!transaction) return fail(transaction.error());
  CMDAI_TRY(connection.copy_begin("COPY cmdai_incoming FROM STDIN (FORMAT binary)"));
  CMDAI_TRY(connection.copy_send(batch.data));
  CMDAI_TRY(connection.copy_end());
  if (!batch.word_data.empty()) {
    CMDAI_TRY(connection.copy_begin("COPY cmdai_incoming_words FROM STDIN (FORMAT binary)"));
    CMDAI_TRY(connection.copy_send(batch.word_data));
    CMDAI_TRY(connection.copy_end());
  }
  CMDAI_TRY(transaction->send_commit(insert_sql()));
  return Upload{std::move(*transaction), std::move(batch.ids), std::move(batch.words)};
}

// Entries the server committed, marked pushed here in groups. Marks are
// keyed by random ids, so each local commit rewrites most pages of the
// marks it touches: groups ten batches large, written in id order, write
// several times less than a commit per batch. A push killed outright sends
// a group again, which the server ignores.
class CommittedMarks {
 public:
  CommittedMarks(history::HistoryStore& store, const std::string& server_key, Timestamp now, PushReport& report)
      : m_store(store), m_server_key(server_key), m_now(now), m_report(report) {}

  Result<void> add(std::vector<std::string>&& ids) {
    m_ids.insert(m_ids.end(), std::make_move_iterator(ids.begin()), std::make_move_iterator(ids.end()));
    return m_ids.size() >= k_marks_per_write ? write() : Result<void>{};
  }

  Result<void> write() {
    if (m_ids.empty()) return {};
    std::sort(m_ids.begin(), m_ids.end());
    CMDAI_TRY(history::mark_pushed(m_store, m_server_key, m_ids, m_now));
    m_report.sent += static_cast<std::int64_t>(m_ids.size());
    m_ids.clear();
    return {};
  }

 private:
  static constexpr std::size_t k_marks_per_write = 10 * k_push_batch;
  history::HistoryStore& m_store;
  const std::string& m_server_key;
  Timestamp m_now;
  PushReport& m_report;
  std::vector<std::string> m_ids;
};

// Waits for the upload's commit; how many of its entries were new there.
Result<std::int64_t> finish_upload(Upload& upload) {
  auto inserted = upload.transaction.finish_commit();
  if (!inserted) return fail(inserted.error());
  return inserted->integer(0, 0);
}

}  // namespace

Result<PushReport> push(history::HistoryStore& store, const std::vector<Connection*>& connections,
                        const std::string& server_key, const PushOptions& options) {
  PushReport report;
  auto separators = WordSeparators::of_server(*connections.front());
  if (!separators) return fail(separators.error());
  for (Connection* connection : connections) CMDAI_TRY(connection->exec(k_incoming_table));
  PushWords words;
  BatchReader reader(store, server_key, options, *separators, words);
  CommittedMarks marks(store, server_key, options.now, report);
  // Batches go to the connections in turn and finish in the order they
  // started; the next batch is read while the server inserts.
  std::deque<Upload> uploads;
  std::size_t started = 0;
  Result<void> failure;
  const auto keep_first = [&](Result<void> outcome) {
    if (!outcome && failure) failure = std::move(outcome);
  };
  Result<Batch> batch = reader.next();
  while (true) {
    if (failure && batch && !batch->ids.empty() && uploads.size() < connections.size()) {
      report.kept_back += batch->kept_back;
      auto upload = start_upload(*connections[started++ % connections.size()], std::move(*batch));
      if (upload) {
        uploads.push_back(std::move(*upload));
        batch = reader.next();
        continue;
      }
      keep_first(fail(upload.error()));
    }
    if (!batch) keep_first(fail(batch.error()));
    if (uploads.empty()) break;
    // After a failure, the uploads already sent are still waited for: a
    // batch the server committed is marked here too.
    auto inserted = finish_upload(uploads.front());
    if (inserted) {
      report.new_on_server += *inserted;
      words.committed(std::move(uploads.front().words));
      keep_first(marks.add(std::move(uploads.front().ids)));
    } else {
      keep_first(fail(inserted.error()));
    }
    uploads.pop_front();
  }
  keep_first(marks.write());
  if (!failure) return fail(interrupted(failure.error(), report));
  if (batch) report.kept_back += batch->kept_back;
  return report;
}

Result<PushReport> push(history::HistoryStore& store, Connection& connection, const std::string& server_key,
                        const PushOptions& options) {
  return push(store, std::vector<Connection*>{&connection}, server_key, options);
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
