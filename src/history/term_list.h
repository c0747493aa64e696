#pragma once
// The full-text index's whole term list (every term with its entry count),
// read on a thread of its own over a connection of its own, so that a
// long-lived searcher (the picker) can answer its term lookups from memory
// without paying for a range of terms on a keystroke: TermCounts consults
// the list once it is read (full_text.h).

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.h"
#include "history/full_text.h"

namespace cmdai::history {

// Every term of the index in term order (byte order, as the index keeps
// them), with the entries holding each, as the database was when its
// newest entry had rowid newest_rowid (the same read transaction).
struct TermList {
  std::int64_t newest_rowid = 0;
  std::vector<IndexTerm> terms;
};

// Reads a history database's term list on a thread started by the
// constructor; the thread opens the database read-only itself, so the
// caller's connection stays the caller's. At a million entries the read
// takes about as long as reading every term's postings once (seconds on a
// busy machine). Destroying the reader stops a read in progress and joins
// the thread. Every member is safe to call from any thread.
class TermListReader {
 public:
  explicit TermListReader(std::filesystem::path database);
  TermListReader(const TermListReader&) = delete;
  TermListReader& operator=(const TermListReader&) = delete;
  ~TermListReader();

  // The list once read, else nullptr (still reading, or the read failed).
  std::shared_ptr<const TermList> list() const;
  // Waits for the read to end: the list, or the error that stopped it.
  Result<std::shared_ptr<const TermList>> wait() const;

 private:
  void read(const std::stop_token& stop, const std::filesystem::path& database);
  void finish(Result<std::shared_ptr<const TermList>> outcome);

  mutable std::mutex m_mutex;
  mutable std::condition_variable m_done_changed;
  bool m_done = false;
  Result<std::shared_ptr<const TermList>> m_outcome;
  std::jthread m_thread;  // last: started once the members above exist
};

// Reads db's term list on the calling thread (db needs open_index_terms);
// stops with ErrorCode::cancelled when stop is requested.
Result<TermList> read_term_list(store::Database& db, const std::stop_token& stop = {});

}  // namespace cmdai::history
