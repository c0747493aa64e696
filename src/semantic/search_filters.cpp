#include "semantic/search_filters.h"

namespace cmdai::semantic {

void FilterClause::bind(store::Statement& statement) const {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = first + static_cast<int>(i);
    std::visit([&](const auto& value) { statement.bind(index, value); }, params[i]);
  }
}

FilterClause filter_clause(const history::SearchFilters& filters, int first_param) {
  auto sql = history::to_sql(filters, "h", first_param);
  return FilterClause{std::move(sql.where), std::move(sql.parameters), first_param};
}

Result<std::vector<std::int64_t>> allowed_rowids(store::Database& db, const FilterClause& clause) {
  auto statement = db.prepare("SELECT h.rowid FROM command_history h WHERE 1" + clause.sql + " ORDER BY h.rowid");
  if (!statement) return fail(statement.error());
  clause.bind(*statement);
  std::vector<std::int64_t> rowids;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    rowids.push_back(statement->column_int(0));
  }
  return rowids;
}

}  // namespace cmdai::semantic
