// Recovering from a damaged history database: move it aside, start a fresh
// one, and read back every row that can still be read.

#include "core/log.h"
#include "history/history_store.h"
#include "history/record_row.h"
#include "store/health.h"

namespace cmdai::history {
namespace {

constexpr int k_max_read_errors = 200;
constexpr std::int64_t k_max_skip = std::int64_t{1} << 40;

// Rows come back in rowid order. After a read error the scan restarts past
// the damage, skipping ahead further after each consecutive error, so one
// bad page costs a few retries and a bad interior page does not end the scan.
struct SalvageScan {
  store::Database& source;
  Columns columns;
  std::int64_t last_rowid = std::numeric_limits<std::int64_t>::min();
  int errors = 0;

  template <typename Sink>
  void run(Sink&& sink) {
    std::int64_t skip = 1;
    const std::string_view list = columns == Columns::record ? k_record_columns : k_seed_columns;
    while (errors < k_max_read_errors && skip < k_max_skip) {
      auto statement = source.prepare("SELECT rowid, " + std::string(list) +
                                      " FROM command_history WHERE rowid > ?1 ORDER BY rowid");
      if (!statement) {
        ++errors;
        return;
      }
      statement->bind(1, last_rowid);
      bool failed = false;
      while (true) {
        auto row = statement->step();
        if (!row) {
          failed = true;
          break;
        }
        if (!*row) break;
        last_rowid = statement->column_int(0);
        skip = 1;
        if (auto record = read_record(*statement, 1, columns)) sink(std::move(*record));
      }
      if (!failed) return;
      ++errors;
      if (last_rowid > std::numeric_limits<std::int64_t>::max() - skip) return;
      last_rowid = last_rowid == std::numeric_limits<std::int64_t>::min() ? 0 : last_rowid + skip;
      skip *= 2;
    }
  }
};

}  // namespace

Result<RecoveryReport> salvage_into(HistoryStore& target, const std::filesystem::path& damaged) {
  RecoveryReport report;
  auto source = store::Database::open(damaged, store::OpenMode::read_only);
  if (!source) return report;  // nothing readable at all
  // A truncated file fails schema checks (index root pages past the end)
  // before any row is read; writable_schema relaxes them for this connection.
  // Without it the salvage still reads what the checks let through.
  (void)source->exec("PRAGMA writable_schema = ON");
  auto probe = source->prepare("SELECT favorite FROM command_history LIMIT 0");
  SalvageScan scan{*source, probe ? Columns::record : Columns::seed_only};
  scan.run([&](HistoryRecord&& record) {
    // Rows were redacted (or not) by the privacy mode in force when they
    // were written; salvage keeps them as they are.
    if (target.write(record)) ++report.salvaged;
  });
  report.unreadable = scan.errors;
  return report;
}

Result<HistoryStore> HistoryStore::recover(const std::filesystem::path& path, HistoryOptions options,
                                           const Error& problem) {
  const Timestamp now = options.clock ? options.clock() : Clock::now();
  auto moved = store::move_aside(path, now);
  if (!moved) return fail(moved.error());
  log::warn("history database damaged (" + problem.message + "); moved to " + moved->string());
  auto fresh = open_checked(path, options);
  if (!fresh) return fail(fresh.error());
  const AutoCleanup auto_cleanup = fresh->m_options.auto_cleanup;
  fresh->m_options.auto_cleanup = AutoCleanup::off;  // keep every salvaged row; retention runs later
  auto salvaged = salvage_into(*fresh, *moved);
  fresh->m_options.auto_cleanup = auto_cleanup;
  RecoveryReport report = salvaged ? *salvaged : RecoveryReport{};
  report.moved_to = *moved;
  report.problem = problem.message;
  fresh->m_recovery = report;
  return fresh;
}

}  // namespace cmdai::history
