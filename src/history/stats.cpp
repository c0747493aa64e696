#include "history/stats.h"

#include "core/time.h"

namespace cmdai::history {
namespace {

Result<std::vector<CountedValue>> grouped(store::Database& db, const std::string& column, std::size_t top) {
  auto statement = db.prepare("SELECT " + column + " AS value, count(*) AS n FROM command_history WHERE " + column +
                              " IS NOT NULL AND " + column + " <> '' GROUP BY value ORDER BY n DESC, value LIMIT ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, static_cast<std::int64_t>(top));
  std::vector<CountedValue> out;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return out;
    out.push_back({statement->column_text(0), statement->column_int(1)});
  }
}

}  // namespace

Result<HistoryStats> collect_stats(HistoryStore& store, std::size_t top) {
  store::Database& db = store.database();
  HistoryStats stats;
  auto totals = db.prepare(
      "SELECT count(*), coalesce(sum(favorite), 0), count(exit_code), coalesce(sum(exit_code = 0), 0), "
      "min(timestamp), max(timestamp) FROM command_history");
  if (!totals) return fail(totals.error());
  auto row = totals->step();
  if (!row) return fail(row.error());
  stats.total = totals->column_int(0);
  stats.favorites = totals->column_int(1);
  stats.with_exit_code = totals->column_int(2);
  stats.succeeded = totals->column_int(3);
  if (!totals->is_null(4)) {
    if (auto t = parse_iso8601(totals->column_text(4))) stats.oldest = *t;
    if (auto t = parse_iso8601(totals->column_text(5))) stats.newest = *t;
  }
  struct Group {
    const char* column;
    std::vector<CountedValue>* into;
  };
  for (const Group& group : {Group{"command", &stats.top_commands}, Group{"working_directory", &stats.top_directories},
                             Group{"coalesce(risk_level, 'unrated')", &stats.by_risk},
                             Group{"backend_used", &stats.by_backend}, Group{"shell_type", &stats.by_shell}}) {
    auto values = grouped(db, group.column, top);
    if (!values) return fail(values.error());
    *group.into = std::move(*values);
  }
  return stats;
}

}  // namespace cmdai::history
