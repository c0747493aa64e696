#pragma once
// How an import moves its records into the store, on two threads: a reader
// thread of the import's own reads the source, rates each distinct command
// once, redacts and makes each row's text (history/batch_writer.h's
// prepare_record); the calling thread, which owns the store's connection,
// writes them in one transaction as they come, through a bounded queue of
// chunks (and passes the chunks it wrote back, for the reader to free and
// fill again). The rows, their order (rowids), their ratings, the full-text index
// and the report are those of reading everything first and then writing.
//
// A failure on either thread leaves the database as it was: the writing
// thread's database error is returned, an exception on the reader thread
// (the rater's, or running out of memory) is thrown again on the calling
// thread, and in both cases the transaction rolls back and the reader
// thread is stopped and joined before run_import returns.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/error.h"
#include "history/batch_writer.h"
#include "history/import.h"

namespace cmdai::history {

// A run of records read from the source, each with its line (1-based) for
// the errors it may have when written.
struct ImportChunk {
  std::vector<PreparedRecord> rows;
  std::vector<std::size_t> lines;

  // A new record for `line`, built where it will be written from.
  HistoryRecord& add(std::size_t line) {
    lines.push_back(line);
    return rows.emplace_back().record;
  }
  void drop_last() {
    rows.pop_back();
    lines.pop_back();
  }
};

// Records a reader adds to a chunk before the chunk is passed on.
inline constexpr std::size_t k_import_chunk_rows = 2048;

// Called on the reader thread until it returns false: adds the source's
// next records to the chunk (about k_import_chunk_rows of them) and its
// bad lines to errors. true: there is more to read.
using ChunkReader = std::function<bool(ImportChunk& chunk, std::vector<ImportLineError>& errors)>;

// Reads every record through `read`, rates (when `rate` is set) and
// prepares it on the reader thread, and writes it into `store` in one
// transaction. `rows` is about how many records the source holds (the bulk
// load's choices depend on it). Counts and line errors go into `report`
// (errors in the order read, then those of writing). Errors: the
// database's; nothing is written then.
Result<void> run_import(HistoryStore& store, std::int64_t rows, const ChunkReader& read, const Rater& rate,
                        ImportReport& report);

}  // namespace cmdai::history
