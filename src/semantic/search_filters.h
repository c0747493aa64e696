#pragma once
// SearchFilters as SQL: a condition on command_history (alias `h`) that
// every signal of a search shares, so filters apply before any ranking.

#include <string>
#include <vector>

#include "history/search.h"
#include "store/database.h"

namespace cmdai::semantic {

struct FilterClause {
  std::string sql;                  // "" or " AND (...)" over alias h
  std::vector<std::string> params;  // bound in order after the caller's own

  bool empty() const { return sql.empty(); }
  // Binds params to statement starting at parameter index first.
  void bind(store::Statement& statement, int first) const;
};

FilterClause filter_clause(const history::SearchFilters& filters);

// The rowids of every entry the filters allow, ascending.
Result<std::vector<std::int64_t>> allowed_rowids(store::Database& db, const FilterClause& clause);

}  // namespace cmdai::semantic
