#pragma once
// The history's full-text index as other searches use it (semantic's word
// and concept signals, its spelling correction): matches of an FTS5
// expression, ranked by BM25 with history's column weights or newest first,
// and the index's terms with how many entries hold each. The index's table
// and columns stay known here only.
//
// db is a history database (HistoryStore::database()).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "history/filters.h"
#include "history/highlight.h"
#include "store/database.h"

namespace cmdai::history {

struct TermList;       // term_list.h
class TermListReader;  // term_list.h

enum class MatchOrder { bm25, newest };

struct MatchHit {
  std::int64_t rowid = 0;
  double score = 0;  // BM25 rank (lower is better); 0 in newest order
};

// At most `limit` entries matching expression that filter allows (filter is
// to_sql(filters, "h", first_parameter), first_parameter 3 or more; an empty
// one allows all).
Result<std::vector<MatchHit>> match_entries(store::Database& db, std::string_view expression, MatchOrder order,
                                            std::size_t limit, const SqlFilter& filter, int first_parameter);
// The same where the caller already knows which rowids are allowed: each
// match is checked with allowed (no join), until `limit` pass.
Result<std::vector<MatchHit>> match_entries_among(store::Database& db, std::string_view expression, MatchOrder order,
                                                  std::size_t limit,
                                                  const std::function<bool(std::int64_t rowid)>& allowed);

struct IndexTerm {
  std::string term;
  std::int64_t entries = 0;  // entries containing it
};

// Makes the index's terms readable on this connection (a temporary fts5vocab
// table); call once before index_terms.
Result<void> open_index_terms(store::Database& db);
// The term itself (exact) or every term starting with it (prefix), whose
// length is within [min_length, max_length] (TermMatch: highlight.h).
Result<std::vector<IndexTerm>> index_terms(store::Database& db, std::string_view text, TermMatch match,
                                           std::size_t min_length = 0, std::size_t max_length = SIZE_MAX);

// The index's terms with their entry counts, kept: a range read once (every
// term starting with some text) answers every later lookup inside it (a
// longer prefix, an exact term, length bounds) without reading the index
// again. The index counts a term's entries by walking its postings, so a
// range costs a pass over all of its terms' postings (at a million entries,
// milliseconds for a common first letter); a caller that looks terms up
// many times while the index stays the same (the picker, key after key;
// the literal and word signals of one search) keeps one, and makes a new
// one when an entry is added, edited or deleted. Needs open_index_terms on
// db. One connection, one thread (a TermListReader it uses runs on its own).
class TermCounts {
 public:
  explicit TermCounts(store::Database& db) : m_db(&db) {}

  // Lets every lookup be answered from reader's whole term list once the
  // reader has it, when that list was read with the index as it is now:
  // newest_rowid is the history's newest rowid when this object was made
  // (a list read at another is never used). Until then lookups read the
  // index as without it. reader must outlive this object.
  void use_list(const TermListReader& reader, std::int64_t newest_rowid);

  // As index_terms, in term order.
  Result<std::vector<IndexTerm>> find(std::string_view text, TermMatch match, std::size_t min_length = 0,
                                      std::size_t max_length = SIZE_MAX);
  store::Database& database() { return *m_db; }

 private:
  // The range read before whose prefix starts text, or nullptr.
  const std::vector<IndexTerm>* covering(std::string_view text) const;
  // The reader's list once it is read and current, else nullptr.
  const TermList* whole_list();

  store::Database* m_db;
  const TermListReader* m_reader = nullptr;  // until its list is taken or found stale
  std::int64_t m_newest_rowid = 0;
  std::shared_ptr<const TermList> m_list;
  std::map<std::string, std::vector<IndexTerm>, std::less<>> m_ranges;  // prefix -> its terms, in term order
  std::map<std::string, std::int64_t, std::less<>> m_exact;             // term -> entries (0: not a term)
};

}  // namespace cmdai::history
