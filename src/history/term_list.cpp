#include "history/term_list.h"

#include <algorithm>

#include "history/rows.h"

namespace cmdai::history {
namespace {

// Ends the read transaction however the read ends (a read-only connection
// has nothing to roll back; COMMIT only lets go of the snapshot).
class ReadSnapshot {
 public:
  explicit ReadSnapshot(store::Database& db) : m_db(db) {}
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot() {
    if (m_open) (void)m_db.exec("COMMIT");
  }
  Result<void> begin() {
    CMDAI_TRY(m_db.exec("BEGIN"));
    m_open = true;
    return {};
  }

 private:
  store::Database& m_db;
  bool m_open = false;
};

}  // namespace

Result<TermList> read_term_list(store::Database& db, const std::stop_token& stop) {
  ReadSnapshot snapshot(db);
  CMDAI_TRY(snapshot.begin());
  TermList list;
  // The newest rowid first: it takes the snapshot both reads share.
  auto newest = newest_rowid(db);
  if (!newest) return fail(newest.error());
  list.newest_rowid = *newest;
  auto statement = db.prepare("SELECT term, doc FROM temp.cmdai_history_vocab");
  if (!statement) return fail(statement.error());
  while (true) {
    if (stop.stop_requested()) return fail(ErrorCode::cancelled, "the term list read was stopped");
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    list.terms.push_back({statement->column_text(0), statement->column_int(1)});
  }
  // The vocabulary table walks the index in its term order, which is byte
  // order; lookups rely on it, so make sure.
  const auto by_term = [](const IndexTerm& a, const IndexTerm& b) { return a.term < b.term; };
  if (!std::is_sorted(list.terms.begin(), list.terms.end(), by_term)) {
    std::sort(list.terms.begin(), list.terms.end(), by_term);
  }
  return list;
}

TermListReader::TermListReader(std::filesystem::path database)
    : m_thread([this, database = std::move(database)](const std::stop_token& stop) { read(stop, database); }) {}

TermListReader::~TermListReader() {
  m_thread.request_stop();
  if (m_thread.joinable()) m_thread.join();
}

void TermListReader::read(const std::stop_token& stop, const std::filesystem::path& database) {
  auto db = store::Database::open(database, store::OpenMode::read_only);
  if (!db) return finish(fail(db.error()));
  if (auto opened = open_index_terms(*db); !opened) return finish(fail(opened.error()));
  auto list = read_term_list(*db, stop);
  if (!list) return finish(fail(list.error()));
  finish(std::make_shared<const TermList>(std::move(*list)));
}

void TermListReader::finish(Result<std::shared_ptr<const TermList>> outcome) {
  {
    std::lock_guard lock(m_mutex);
    m_outcome = std::move(outcome);
    m_done = true;
  }
  m_done_changed.notify_all();
}

std::shared_ptr<const TermList> TermListReader::list() const {
  std::lock_guard lock(m_mutex);
  return m_done && m_outcome ? *m_outcome : nullptr;
}

Result<std::shared_ptr<const TermList>> TermListReader::wait() const {
  std::unique_lock lock(m_mutex);
  m_done_changed.wait(lock, [this] { return m_done; });
  return m_outcome;
}

}  // namespace cmdai::history
