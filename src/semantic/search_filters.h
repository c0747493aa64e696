#pragma once
// SearchFilters as SQL: a condition on command_history (alias `h`) that
// every signal of a search shares, so filters apply before any ranking. The
// clauses themselves come from history::to_sql, the one place filters
// become SQL.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "history/filters.h"
#include "history/search.h"
#include "store/database.h"

namespace cmdai::semantic {

// The rows a filter allows, for checking many candidates cheaply: a bitmap
// by rowid (or, for rowids far sparser than the rows, the sorted list).
class RowSet {
 public:
  explicit RowSet(std::vector<std::int64_t> ascending_rowids);
  bool contains(std::int64_t rowid) const;
  const std::vector<std::int64_t>& rowids() const { return m_rowids; }

 private:
  std::vector<std::int64_t> m_rowids;
  std::vector<std::uint64_t> m_bits;  // empty: search m_rowids
};

struct FilterClause {
  std::string sql;  // "" or " AND ..." over alias h, with numbered parameters
  std::vector<std::variant<std::string, std::int64_t>> params;  // values for ?first, ?first+1, ...
  int first = 1;
  // The rows sql allows, when the caller has them: signals then check
  // their matches against it instead of joining command_history (a b-tree
  // lookup per match).
  const RowSet* rows = nullptr;

  bool empty() const { return sql.empty(); }
  void bind(store::Statement& statement) const;
};

// Parameters are numbered from first_param (?N), so the caller's own
// numbered parameters keep their places.
FilterClause filter_clause(const history::SearchFilters& filters, int first_param);

// The rowids of every entry the filters allow, ascending.
Result<std::vector<std::int64_t>> allowed_rowids(store::Database& db, const FilterClause& clause);
// The same, or nullopt as soon as more than `cap` entries pass (a filter
// most entries pass: reading them all would cost more than it saves).
Result<std::optional<std::vector<std::int64_t>>> allowed_rowids(store::Database& db, const FilterClause& clause,
                                                                std::size_t cap);
// Those of `rowids` the filters allow, in the order given.
Result<std::vector<std::int64_t>> allowed_among(store::Database& db, const FilterClause& clause,
                                                std::span<const std::int64_t> rowids);

}  // namespace cmdai::semantic
