#include "semantic/search_filters.h"

#include "core/time.h"

namespace cmdai::semantic {

void FilterClause::bind(store::Statement& statement) const {
  for (std::size_t i = 0; i < params.size(); ++i) statement.bind(first + static_cast<int>(i), params[i]);
}

FilterClause filter_clause(const history::SearchFilters& filters, int first_param) {
  FilterClause clause;
  clause.first = first_param;
  std::vector<std::string> conditions;
  auto add = [&](std::string condition, std::string param) {
    const std::string number = "?" + std::to_string(first_param + static_cast<int>(clause.params.size()));
    condition.replace(condition.find('?'), 1, number);
    conditions.push_back(std::move(condition));
    clause.params.push_back(std::move(param));
  };
  // ISO-8601 text with a fixed layout compares like the instants it names.
  if (filters.since) add("h.timestamp >= ?", format_iso8601(*filters.since));
  if (filters.before) add("h.timestamp < ?", format_iso8601(*filters.before));
  if (filters.risk_level) {
    add("coalesce(json_extract(h.safety_metadata, '$.risk_level'), 'safe') = ?",
        std::string(to_string(*filters.risk_level)));
  }
  if (filters.tag) add("EXISTS (SELECT 1 FROM json_each(h.tags) WHERE json_each.value = ?)", *filters.tag);
  if (filters.working_directory) add("h.working_directory = ?", *filters.working_directory);
  for (const auto& condition : conditions) clause.sql += " AND " + condition;
  return clause;
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
