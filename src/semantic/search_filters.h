#pragma once
// SearchFilters as SQL: a condition on command_history (alias `h`) that
// every signal of a search shares, so filters apply before any ranking. The
// clauses themselves come from history::to_sql, the one place filters
// become SQL.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "history/filters.h"
#include "history/search.h"
#include "store/database.h"

namespace cmdai::semantic {

struct FilterClause {
  std::string sql;  // "" or " AND ..." over alias h, with numbered parameters
  std::vector<std::variant<std::string, std::int64_t>> params;  // values for ?first, ?first+1, ...
  int first = 1;

  bool empty() const { return sql.empty(); }
  void bind(store::Statement& statement) const;
};

// Parameters are numbered from first_param (?N), so the caller's own
// numbered parameters keep their places.
FilterClause filter_clause(const history::SearchFilters& filters, int first_param);

// The rowids of every entry the filters allow, ascending.
Result<std::vector<std::int64_t>> allowed_rowids(store::Database& db, const FilterClause& clause);

}  // namespace cmdai::semantic
