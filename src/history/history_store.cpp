#include "history/history_store.h"

#include <unistd.h>

#include <algorithm>
#include <variant>

#include "core/entity_json.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "history/batch_writer.h"
#include "history/embeddings.h"
#include "history/record_row.h"
#include "history/search_rank.h"
#include "store/health.h"
#include "store/migrations.h"

namespace cmdai::history {
namespace {

constexpr std::chrono::milliseconds k_cleanup_checkpoint_wait{1000};

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

Error unknown_id(const std::string& id) {
  return Error{ErrorCode::not_found, "no history entry with id " + id, "see cmdai history list"};
}

template <typename Row>
Result<std::vector<Row>> collect(store::Statement& statement) {
  std::vector<Row> rows;
  while (true) {
    auto row = statement.step();
    if (!row) return fail(row.error());
    if (!*row) return rows;
    auto record = read_record(statement);
    if (!record) return fail(record.error());
    if constexpr (std::is_same_v<Row, HistoryRecord>) {
      rows.push_back(std::move(*record));
    } else {
      rows.push_back(std::move(record->entry));
    }
  }
}

}  // namespace

Result<HistoryStore> HistoryStore::open(const std::filesystem::path& path) { return open(path, HistoryOptions{}); }

Result<HistoryStore> HistoryStore::open(const std::filesystem::path& path, HistoryOptions options) {
  if (options.hostname.empty()) options.hostname = this_host();
  auto opened = open_checked(path, options);
  if (opened || opened.error().code != ErrorCode::corruption) return opened;
  return recover(path, std::move(options), opened.error());
}

bool HistoryStore::is_read_only(const std::filesystem::path& path) {
  // access() answers EROFS for a read-only mount even to root, who may
  // otherwise write anywhere.
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && ::access(path.c_str(), W_OK) != 0) return true;
  return std::filesystem::exists(dir, ec) && ::access(dir.c_str(), W_OK) != 0;
}

Result<HistoryStore> HistoryStore::open_for_reading(const std::filesystem::path& path, HistoryOptions options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || !is_read_only(path)) return open(path, std::move(options));
  if (options.hostname.empty()) options.hostname = this_host();
  auto db = store::Database::open(path, store::OpenMode::read_only);
  if (!db) return fail(db.error());
  CMDAI_TRY(store::probe(*db));
  CMDAI_TRY(register_rank_function(*db));
  options.auto_cleanup = AutoCleanup::off;
  return HistoryStore(std::move(*db), std::move(options));
}

Result<HistoryStore> HistoryStore::open_checked(const std::filesystem::path& path, const HistoryOptions& options) {
  // A header that disagrees with the file size is confirmed by a full check
  // before anything is moved: a checkpoint in another process may be
  // extending the file at this moment.
  auto header = store::probe_file(path);
  if (!header && header.error().code != ErrorCode::corruption) return fail(header.error());
  auto db = store::Database::open(path);
  if (!db) return fail(db.error());
  if (!header) {
    if (auto checked = store::integrity_check(*db); !checked) return fail(header.error());
  }
  CMDAI_TRY(store::migrate(*db));
  CMDAI_TRY(store::probe(*db));
  CMDAI_TRY(register_rank_function(*db));
  return HistoryStore(std::move(*db), options);
}

namespace {

// An entry's own vector (an import's) must have the dimension of the model
// the history records: an embedding's length is its model's, never assumed.
Result<void> check_vector(store::Database& db, const CommandHistoryEntry& entry) {
  if (!entry.embedding_vector) return {};
  return check_embedding(db, *entry.embedding_vector);
}

}  // namespace

Result<void> HistoryStore::insert(const CommandHistoryEntry& entry) {
  auto outcome = store(entry);
  if (!outcome) return fail(outcome.error());
  return {};
}

Result<StoreOutcome> HistoryStore::store(const CommandHistoryEntry& entry) {
  HistoryRecord record;
  record.entry = entry;
  return store(record);
}

std::string canonical_id(std::string_view id) { return ascii_lower(id); }

Result<HistoryRecord> HistoryStore::prepare_row(HistoryRecord row, std::size_t& secrets) const {
  PreparedRecord prepared;
  prepared.record = std::move(row);
  prepare_record(prepared, m_options);
  if (!prepared.secrets) return fail(prepared.secrets.error());
  secrets = *prepared.secrets;
  return std::move(prepared.record);
}

Result<StoreOutcome> HistoryStore::store(const HistoryRecord& record) {
  std::size_t secrets = 0;
  auto row = prepare_row(record, secrets);
  if (!row) return fail(row.error());
  CMDAI_TRY(check_vector(m_db, row->entry));
  if (secrets > 0 && m_options.privacy == PrivacyMode::skip) return StoreOutcome::skipped_secret;
  auto written = write(*row);
  if (!written) return written;
  return secrets > 0 ? StoreOutcome::stored_redacted : StoreOutcome::stored;
}

Result<std::vector<Result<StoreOutcome>>> HistoryStore::store_batch(std::vector<HistoryRecord> records) {
  std::vector<Result<StoreOutcome>> outcomes;
  outcomes.reserve(records.size());
  auto writer = BatchWriter::begin(*this, static_cast<std::int64_t>(records.size()));
  if (!writer) return fail(writer.error());
  for (HistoryRecord& record : records) {
    PreparedRecord row;
    row.record = std::move(record);
    prepare_record(row, m_options);
    auto outcome = writer->write(row);
    if (!outcome) return fail(outcome.error());
    outcomes.push_back(std::move(*outcome));
  }
  CMDAI_TRY(writer->commit());
  return outcomes;
}

Result<void> HistoryStore::insert_row(const HistoryRecord& record) {
  if (!m_insert) {
    auto prepared = m_db.prepare(insert_record_sql());
    if (!prepared) return fail(prepared.error());
    m_insert = std::move(*prepared);
  }
  return insert_record(*m_insert, record, row_text(record));
}

Result<StoreOutcome> HistoryStore::write(const HistoryRecord& record) {
  {
    auto transaction = store::Transaction::begin(m_db);
    if (!transaction) return fail(transaction.error());
    CMDAI_TRY(insert_row(record));
    CMDAI_TRY(transaction->commit());
  }
  maybe_clean_up();
  return StoreOutcome::stored;
}

void HistoryStore::maybe_clean_up() {
  // Retention is housekeeping: the entry is stored whatever happens here.
  auto report = enforce_retention();
  m_last_retention = report ? *report : std::nullopt;
}

Result<std::optional<CleanupReport>> HistoryStore::enforce_retention() {
  if (m_options.auto_cleanup == AutoCleanup::off) return std::optional<CleanupReport>{};
  auto report = apply_retention_if_due(m_db, m_options.retention, now());
  if (!report) return fail(report.error());
  if (!*report || ((*report)->removed_by_age == 0 && (*report)->removed_by_count == 0)) {
    return std::optional<CleanupReport>{};
  }
  log::info("history retention removed " + std::to_string((*report)->removed_by_age) + " entries by age and " +
            std::to_string((*report)->removed_by_count) + " beyond history.max_entries; " +
            std::to_string((*report)->remaining) + " remain");
  return report;
}

Result<std::optional<CommandHistoryEntry>> HistoryStore::get(const std::string& id) {
  auto record = get_record(id);
  if (!record) return fail(record.error());
  if (!*record) return std::optional<CommandHistoryEntry>{};
  return std::optional<CommandHistoryEntry>(std::move((*record)->entry));
}

Result<std::optional<HistoryRecord>> HistoryStore::get_record(const std::string& id) {
  auto statement = m_db.prepare("SELECT " + std::string(k_record_columns) + " FROM command_history WHERE id = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, canonical_id(id));
  auto rows = collect<HistoryRecord>(*statement);
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<HistoryRecord>{};
  return std::optional<HistoryRecord>(std::move(rows->front()));
}

Result<std::string> HistoryStore::resolve_id(const std::string& prefix) {
  const std::string lower = canonical_id(prefix);
  if (lower.empty() || lower.find_first_not_of("0123456789abcdef-") != std::string::npos) {
    return fail(ErrorCode::invalid_argument, "'" + prefix + "' is not a history id",
                "ids are hexadecimal; see cmdai history list");
  }
  auto statement = m_db.prepare("SELECT id FROM command_history WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 2");
  if (!statement) return fail(statement.error());
  statement->bind(1, lower).bind(2, lower + "~");
  std::vector<std::string> ids;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    ids.push_back(statement->column_text(0));
  }
  if (ids.empty()) return fail(unknown_id(prefix));
  if (ids.size() > 1) {
    return fail(ErrorCode::invalid_argument, "'" + prefix + "' matches more than one history entry",
                "give more characters of the id");
  }
  return ids.front();
}

Result<std::vector<CommandHistoryEntry>> HistoryStore::list(Page page) {
  auto statement = m_db.prepare("SELECT " + std::string(k_record_columns) +
                                " FROM command_history ORDER BY timestamp DESC, rowid DESC LIMIT ?1 OFFSET ?2");
  if (!statement) return fail(statement.error());
  statement->bind(1, page.limit).bind(2, page.offset);
  return collect<CommandHistoryEntry>(*statement);
}

Result<std::vector<HistoryRecord>> HistoryStore::list_records(Page page) {
  auto statement = m_db.prepare("SELECT " + std::string(k_record_columns) +
                                " FROM command_history ORDER BY timestamp DESC, rowid DESC LIMIT ?1 OFFSET ?2");
  if (!statement) return fail(statement.error());
  statement->bind(1, page.limit).bind(2, page.offset);
  return collect<HistoryRecord>(*statement);
}

Result<std::vector<HistoryRecord>> HistoryStore::list_records(Page page, const SearchFilters& filters) {
  const SqlFilter filter = to_sql(filters, "h", 3);
  auto statement = m_db.prepare("SELECT " + std::string(k_record_columns) + " FROM command_history AS h WHERE 1" +
                                filter.where + " ORDER BY h.timestamp DESC, h.rowid DESC LIMIT ?1 OFFSET ?2");
  if (!statement) return fail(statement.error());
  statement->bind(1, page.limit).bind(2, page.offset);
  for (std::size_t i = 0; i < filter.parameters.size(); ++i) {
    std::visit([&](const auto& value) { statement->bind(3 + static_cast<int>(i), value); }, filter.parameters[i]);
  }
  return collect<HistoryRecord>(*statement);
}

Result<std::int64_t> HistoryStore::count() { return m_db.query_int("SELECT count(*) FROM command_history"); }

Result<void> HistoryStore::update_one(const std::string& sql, const std::string& id, const std::string& value) {
  auto statement = m_db.prepare(sql);
  if (!statement) return fail(statement.error());
  statement->bind(1, canonical_id(id));
  if (!value.empty()) statement->bind(2, value);
  CMDAI_TRY(statement->run());
  if (m_db.changes() == 0) return fail(unknown_id(id));
  return {};
}

Result<void> HistoryStore::remove(const std::string& id) {
  return update_one("DELETE FROM command_history WHERE id = ?1", id, {});
}

Result<void> HistoryStore::record_use(const std::string& id) {
  return update_one("UPDATE command_history SET use_count = use_count + 1 WHERE id = ?1", id, {});
}

Result<void> HistoryStore::record_execution(const std::string& id, const ExecutionMetadata& metadata,
                                            bool user_confirmed) {
  auto transaction = store::Transaction::begin(m_db);
  if (!transaction) return fail(transaction.error());
  auto stored = get_record(id);
  if (!stored) return fail(stored.error());
  if (!*stored) return fail(unknown_id(id));
  CommandHistoryEntry& entry = (*stored)->entry;
  ExecutionMetadata merged = entry.execution_metadata.value_or(ExecutionMetadata{});
  if (metadata.exit_code) merged.exit_code = metadata.exit_code;
  if (metadata.execution_time) merged.execution_time = metadata.execution_time;
  if (metadata.output_size) merged.output_size = metadata.output_size;
  if (!metadata.backend_used.empty()) merged.backend_used = metadata.backend_used;
  if (metadata.generation_time.count() != 0) merged.generation_time = metadata.generation_time;
  if (metadata.validation_time.count() != 0) merged.validation_time = metadata.validation_time;
  SafetyMetadata safety = entry.safety_metadata.value_or(SafetyMetadata{});
  safety.user_confirmed = user_confirmed;
  auto statement =
      m_db.prepare("UPDATE command_history SET execution_metadata = ?2, safety_metadata = ?3 WHERE id = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, entry.id).bind(2, json_text(to_json(merged))).bind(3, json_text(to_json(safety)));
  CMDAI_TRY(statement->run());
  return transaction->commit();
}

Result<CleanupReport> HistoryStore::cleanup() {
  if (auto healthy = store::integrity_check(m_db); !healthy) {
    if (healthy.error().code != ErrorCode::corruption) return fail(healthy.error());
    const std::filesystem::path path = m_db.path();
    m_insert.reset();
    {
      // Close before renaming: the -wal and -shm files move with the
      // database, and this connection's locks must not follow them.
      store::Database closing = std::move(m_db);
    }
    auto recovered = recover(path, m_options, healthy.error());
    if (!recovered) return fail(recovered.error());
    *this = std::move(*recovered);
  }
  auto report = apply_retention(m_db, m_options.retention, now());
  // Leaves the database file complete on its own (the WAL emptied), unless
  // another process is using it right now: then nothing is lost, a later
  // checkpoint catches up.
  (void)m_db.checkpoint(store::CheckpointMode::truncate, k_cleanup_checkpoint_wait);
  return report;
}

}  // namespace cmdai::history
