#include "history/batch_writer.h"

#include <algorithm>

#include "history/embeddings.h"
#include "history/redaction.h"

namespace cmdai::history {
namespace {

// The favourite mark and the "favorite" tag say the same thing; whichever
// the record carries, it ends up with both.
void join_favorite_tag(HistoryRecord& row) {
  auto& tags = row.entry.tags;
  const bool tagged = std::find(tags.begin(), tags.end(), k_favorite_tag) != tags.end();
  if (row.favorite && !tagged) tags.emplace_back(k_favorite_tag);
  row.favorite = row.favorite || tagged;
}

Result<std::size_t> prepare_in_place(HistoryRecord& row, const HistoryOptions& options, RedactionMemo* memo) {
  row.entry.id = canonical_id(row.entry.id);
  CMDAI_TRY(validate(row.entry));
  join_favorite_tag(row);
  if (!row.hostname && !options.hostname.empty()) row.hostname = options.hostname;
  if (!row.session_id && !options.session_id.empty()) row.session_id = options.session_id;
  if (options.privacy == PrivacyMode::off) return 0;
  return memo != nullptr ? redact_entry(row.entry, *memo) : redact_entry(row.entry);
}

void prepare(PreparedRecord& row, const HistoryOptions& options, RedactionMemo* memo) {
  row.secrets = prepare_in_place(row.record, options, memo);
  // A record that will not be written needs no text.
  if (row.secrets && !(*row.secrets > 0 && options.privacy == PrivacyMode::skip)) row.text = row_text(row.record);
}

}  // namespace

void prepare_record(PreparedRecord& row, const HistoryOptions& options) { prepare(row, options, nullptr); }

void prepare_record(PreparedRecord& row, const HistoryOptions& options, RedactionMemo& memo) {
  prepare(row, options, &memo);
}

Result<BatchWriter> BatchWriter::begin(HistoryStore& store, std::int64_t rows) {
  auto transaction = store::Transaction::begin(store.database());
  if (!transaction) return fail(transaction.error());
  BatchWriter writer(store, std::move(*transaction));
  if (rows >= k_bulk_rows) {
    auto bulk = BulkLoad::begin(store.database(), rows);
    if (!bulk) return fail(bulk.error());
    writer.m_bulk.emplace(std::move(*bulk));
  }
  return writer;
}

Result<Result<StoreOutcome>> BatchWriter::write(const PreparedRecord& row) {
  using Outcome = Result<StoreOutcome>;
  if (!row.secrets) return Outcome(fail(row.secrets.error()));
  const HistoryRecord& record = row.record;
  if (record.entry.embedding_vector) {
    // An entry's own vector must have the dimension of the model the history records.
    if (auto checked = check_embedding(m_store->database(), *record.entry.embedding_vector); !checked) {
      return Outcome(fail(checked.error()));
    }
  }
  if (*row.secrets > 0 && m_store->options().privacy == PrivacyMode::skip) return Outcome(StoreOutcome::skipped_secret);
  if (!m_insert) {
    auto prepared = m_store->database().prepare(insert_record_sql());
    if (!prepared) return fail(prepared.error());
    m_insert = std::move(*prepared);
  }
  if (auto inserted = insert_record(*m_insert, record, row.text); !inserted) {
    if (inserted.error().code != ErrorCode::invalid_argument) return fail(inserted.error());
    return Outcome(fail(inserted.error()));
  }
  return Outcome(*row.secrets > 0 ? StoreOutcome::stored_redacted : StoreOutcome::stored);
}

Result<void> BatchWriter::commit() {
  m_insert.reset();
  if (m_bulk) CMDAI_TRY(m_bulk->finish());
  return m_transaction.commit();
}

}  // namespace cmdai::history
