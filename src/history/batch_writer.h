#pragma once
// Writing many records in one transaction (imports), split in two halves
// that may run on two threads: prepare_record() needs only the record and
// the store's options (any thread), BatchWriter needs the store's
// connection (the store's own thread). An import prepares records on one
// thread while the other writes those prepared before.
//
// A BatchWriter is one write transaction: its records become visible
// together at commit(); destroying it without commit() (an error, an
// exception) rolls all of them back, and with them the bulk load's changes
// to triggers and indexes (history/bulk_load.h).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/error.h"
#include "history/bulk_load.h"
#include "history/history_store.h"
#include "history/record_row.h"
#include "history/redaction.h"
#include "store/database.h"

namespace cmdai::history {

// From this many records a batch indexes its rows for search after the
// inserts instead of row by row (history/bulk_load.h).
inline constexpr std::int64_t k_bulk_rows = 1000;

// A record as it will be written, and what preparing it found.
struct PreparedRecord {
  HistoryRecord record;
  RowText text;                     // made by prepare_record
  Result<std::size_t> secrets = 0;  // how many secrets were redacted, or why the record cannot be stored
};

// Makes the record what is written, in place: id lower-cased and validated,
// the favourite mark and tag joined, host and session filled in from the
// options, secrets redacted per the options' privacy mode, the text
// columns made. Touches nothing but `row`: safe on any thread.
void prepare_record(PreparedRecord& row, const HistoryOptions& options);

// The same, with the record's command and directory redacted through
// `memo` (a thread's own: see RedactionMemo), for many records in a row.
void prepare_record(PreparedRecord& row, const HistoryOptions& options, RedactionMemo& memo);

class BatchWriter {
 public:
  // Begins the transaction for a batch of about `rows` records (the bulk
  // load's choices depend on it; more or fewer may be written). Errors: the
  // database's (busy past its timeout, read-only ...).
  static Result<BatchWriter> begin(HistoryStore& store, std::int64_t rows);

  BatchWriter(BatchWriter&&) noexcept = default;
  BatchWriter& operator=(BatchWriter&&) = delete;
  ~BatchWriter() = default;  // rolls back unless committed

  // Writes one prepared record: its outcome (a bad entry, a duplicate id,
  // a secret skipped) is returned and does not stop the batch. Errors: the
  // database failed; the batch is then done (destroy it: nothing is kept).
  Result<Result<StoreOutcome>> write(const PreparedRecord& row);

  // Finishes the bulk load and commits. Errors: the database's (nothing is
  // kept).
  Result<void> commit();

 private:
  BatchWriter(HistoryStore& store, store::Transaction transaction)
      : m_store(&store), m_transaction(std::move(transaction)) {}

  HistoryStore* m_store;
  store::Transaction m_transaction;
  std::optional<BulkLoad> m_bulk;
  std::optional<store::Statement> m_insert;
};

}  // namespace cmdai::history
