#include "history/import_pipeline.h"

#include <chrono>
#include <exception>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/heap.h"
#include "history/chunk_queue.h"

namespace cmdai::history {
namespace {

// Chunks read ahead of the writer: enough to keep it busy, few enough that
// an import's memory is a few chunks, not the whole source.
constexpr std::size_t k_chunks_ahead = 4;

// The room a bulk import's writing thread allocates from huge pages: the
// bulk load's page cache (k_bulk_cache_kib) and the full-text index's
// pending terms.
constexpr std::size_t k_bulk_heap_bytes = (static_cast<std::size_t>(k_bulk_cache_kib) << 10) + (std::size_t{32} << 20);

struct Rating {
  SafetyMetadata safety;
  Micros validation_time{0};  // how long the rater took: the entry's validation_time
};

// The key of everything a rating depends on (RatingInput): the shell, then
// the directory and the command (a NUL ends the directory, which holds none).
// Written into `key`, whose room is reused from one record to the next.
void rating_key(const RatingInput& input, std::string& key) {
  key.clear();
  key += static_cast<char>('0' + static_cast<int>(input.shell));
  key += input.working_directory;
  key += '\0';
  key += input.command;
}

// Each distinct command (in its directory and shell) is rated once: shell
// histories repeat the same few hundred commands thousands of times. Every
// entry of that command records the one validation's time.
class Ratings {
 public:
  explicit Ratings(const Rater& rate) : m_rate(rate) {}

  void rate(HistoryRecord& record) {
    if (!m_rate) return;
    CommandHistoryEntry& entry = record.entry;
    const RatingInput input{entry.command, entry.working_directory, entry.shell_type};
    rating_key(input, m_key);
    auto it = m_rated.find(m_key);
    if (it == m_rated.end()) it = m_rated.emplace(m_key, timed(input)).first;
    const bool confirmed = entry.safety_metadata && entry.safety_metadata->user_confirmed;
    entry.safety_metadata = it->second.safety;
    entry.safety_metadata->user_confirmed = confirmed;
    if (!entry.execution_metadata) entry.execution_metadata = ExecutionMetadata{};
    entry.execution_metadata->validation_time = it->second.validation_time;
  }

 private:
  Rating timed(const RatingInput& input) const {
    const auto start = std::chrono::steady_clock::now();
    Rating rating{m_rate(input), {}};
    rating.validation_time = std::chrono::ceil<Micros>(std::chrono::steady_clock::now() - start);
    return rating;
  }

  const Rater& m_rate;
  std::unordered_map<std::string, Rating> m_rated;
  std::string m_key;  // the current record's key
};

// The queues between the two threads: chunks to write, and the chunks
// written, passed back to be emptied and filled again.
struct ChunkQueues {
  ChunkQueue<ImportChunk> ready{k_chunks_ahead};
  ChunkQueue<ImportChunk> spent{k_chunks_ahead};
};

// A chunk to fill: one the writer is done with when there is one. Its
// records are freed here, on the thread that allocated them, which is
// cheaper for the allocator than freeing them on the writer's (and keeps
// that work off the thread that is usually the slower one).
ImportChunk empty_chunk(ChunkQueue<ImportChunk>& spent) {
  auto chunk = spent.try_pop();
  if (!chunk) chunk.emplace();
  chunk->rows.clear();
  chunk->lines.clear();
  chunk->rows.reserve(k_import_chunk_rows);
  chunk->lines.reserve(k_import_chunk_rows);
  return std::move(*chunk);
}

// The reader thread: reads, rates and prepares chunk after chunk until the
// source ends, the writer stops it, or something throws (passed on through
// the queue, never lost).
void read_all(const ChunkReader& read, const Rater& rate, const HistoryOptions& options, ChunkQueues& queues,
              std::vector<ImportLineError>& errors, const std::stop_token& stop) {
  ChunkQueue<ImportChunk>& queue = queues.ready;
  try {
    Ratings ratings(rate);
    RedactionMemo redactions;
    bool more = true;
    while (more && !stop.stop_requested()) {
      ImportChunk chunk = empty_chunk(queues.spent);
      more = read(chunk, errors);
      for (PreparedRecord& row : chunk.rows) {
        ratings.rate(row.record);
        prepare_record(row, options, redactions);
      }
      if (!chunk.rows.empty() && !queue.push(std::move(chunk), stop)) break;
    }
    queue.close();
  } catch (...) {
    queue.close(std::current_exception());
  }
}

void count_outcome(const Result<StoreOutcome>& outcome, std::size_t line, ImportReport& report) {
  if (!outcome) {
    const bool duplicate = outcome.error().message.find("already exists") != std::string::npos;
    if (duplicate) {
      ++report.skipped;
    } else {
      report.errors.push_back({line, outcome.error().message});
    }
  } else if (*outcome == StoreOutcome::skipped_secret) {
    ++report.skipped;
  } else {
    ++report.imported;
  }
}

// The writing side, on the calling thread: one transaction for the whole
// import (a million entries commit once), rolled back by the writer's
// destructor on any way out but the commit.
Result<void> write_all(HistoryStore& store, std::int64_t rows, ChunkQueues& queues, ImportReport& report) {
  auto writer = BatchWriter::begin(store, rows);
  if (!writer) return fail(writer.error());
  while (auto chunk = queues.ready.pop()) {
    for (std::size_t i = 0; i < chunk->rows.size(); ++i) {
      auto outcome = writer->write(chunk->rows[i]);
      if (!outcome) return fail(outcome.error());
      count_outcome(*outcome, chunk->lines[i], report);
    }
    // Back to the reader to be emptied; when it has enough, freed here.
    (void)queues.spent.try_push(std::move(*chunk));
  }
  if (auto failure = queues.ready.failure()) std::rethrow_exception(failure);
  return writer->commit();
}

}  // namespace

Result<void> run_import(HistoryStore& store, std::int64_t rows, const ChunkReader& read, const Rater& rate,
                        ImportReport& report) {
  if (rows >= k_bulk_rows) grow_heap_on_huge_pages(k_bulk_heap_bytes);
  ChunkQueues queues;
  std::vector<ImportLineError> read_errors;  // the reader thread's until it is joined
  ImportReport written;
  {
    // Declared after what it uses: on every way out (a return, an exception)
    // it is stopped and joined first.
    std::jthread reader(
        [&](std::stop_token stop) { read_all(read, rate, store.options(), queues, read_errors, stop); });
    CMDAI_TRY(write_all(store, rows, queues, written));
  }
  report.imported += written.imported;
  report.skipped += written.skipped;
  report.errors.insert(report.errors.end(), read_errors.begin(), read_errors.end());
  report.errors.insert(report.errors.end(), written.errors.begin(), written.errors.end());
  return {};
}

}  // namespace cmdai::history
