#include "semantic/search_filters.h"

#include <algorithm>

namespace cmdai::semantic {

void FilterClause::bind(store::Statement& statement) const {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = first + static_cast<int>(i);
    std::visit([&](const auto& value) { statement.bind(index, value); }, params[i]);
  }
}

RowSet::RowSet(std::vector<std::int64_t> ascending_rowids) : m_rowids(std::move(ascending_rowids)) {
  if (m_rowids.empty() || m_rowids.front() < 0) return;
  const auto top = static_cast<std::uint64_t>(m_rowids.back());
  if (top / 64 > 4 * m_rowids.size() + 4096) return;  // sparse: a bitmap would be mostly zeros
  m_bits.assign(top / 64 + 1, 0);
  for (const std::int64_t rowid : m_rowids) {
    m_bits[static_cast<std::uint64_t>(rowid) / 64] |= std::uint64_t{1} << (static_cast<std::uint64_t>(rowid) % 64);
  }
}

bool RowSet::contains(std::int64_t rowid) const {
  if (m_bits.empty()) return std::binary_search(m_rowids.begin(), m_rowids.end(), rowid);
  const auto r = static_cast<std::uint64_t>(rowid);
  return rowid >= 0 && r / 64 < m_bits.size() && ((m_bits[r / 64] >> (r % 64)) & 1U) != 0;
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
