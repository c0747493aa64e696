#include "semantic/search_filters.h"

#include <algorithm>
#include <limits>

#include "history/rows.h"

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

namespace {

history::SqlFilter sql_filter(const FilterClause& clause) { return {clause.sql, clause.params}; }

}  // namespace

Result<std::optional<std::vector<std::int64_t>>> allowed_rowids(store::Database& db, const FilterClause& clause,
                                                                std::size_t cap) {
  return history::filtered_rowids(db, sql_filter(clause), clause.first, cap);
}

Result<std::vector<std::int64_t>> allowed_rowids(store::Database& db, const FilterClause& clause) {
  auto rowids = allowed_rowids(db, clause, std::numeric_limits<std::size_t>::max());
  if (!rowids) return fail(rowids.error());
  return std::move(**rowids);
}

Result<std::vector<std::int64_t>> allowed_among(store::Database& db, const FilterClause& clause,
                                                std::span<const std::int64_t> rowids) {
  auto passed = history::filtered_among(db, sql_filter(clause), clause.first, rowids);
  if (!passed) return fail(passed.error());
  std::vector<std::int64_t> out;
  for (const std::int64_t rowid : rowids) {
    if (std::binary_search(passed->begin(), passed->end(), rowid)) out.push_back(rowid);
  }
  return out;
}

}  // namespace cmdai::semantic
