#include "history/recent_matches.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "core/utf8.h"
#include "history/record_row.h"
#include "history/rows.h"

namespace cmdai::history {
namespace {

// Rowids newest first from ?1 up, every word in the command (?2...), the
// filters after them. NOT INDEXED: a filter's own index (host, directory)
// would read all of its rows and sort them; the rowid range reads only the
// window, newest first, and stops when the caller stops stepping.
std::string matching_sql(std::size_t words, const SqlFilter& filter) {
  std::string sql = "SELECT h.rowid, h.command FROM command_history AS h NOT INDEXED WHERE h.rowid > ?1";
  for (std::size_t i = 0; i < words; ++i) sql += " AND instr(lower(h.command), ?" + std::to_string(i + 2) + ") > 0";
  return sql + filter.where + " ORDER BY h.rowid DESC";
}

Result<std::vector<std::int64_t>> newest_distinct(store::Database& db, const RecentMatchQuery& query) {
  auto highest = newest_rowid(db);
  if (!highest) return fail(highest.error());
  const int first_filter = 2 + static_cast<int>(query.words.size());
  const SqlFilter filter = to_sql(query.filters, "h", first_filter);
  auto statement = db.prepare(matching_sql(query.words.size(), filter));
  if (!statement) return fail(statement.error());
  statement->bind(1, *highest - query.window);
  for (std::size_t i = 0; i < query.words.size(); ++i) {
    statement->bind(2 + static_cast<int>(i), ascii_lower(query.words[i]));
  }
  for (std::size_t i = 0; i < filter.parameters.size(); ++i) {
    std::visit([&](const auto& value) { statement->bind(first_filter + static_cast<int>(i), value); },
               filter.parameters[i]);
  }
  std::vector<std::int64_t> rowids;
  std::unordered_set<std::string> seen;
  while (rowids.size() < query.max_commands) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    if (seen.insert(statement->column_text(1)).second) rowids.push_back(statement->column_int(0));
  }
  return rowids;
}

}  // namespace

namespace {

// The records of rowids that exist (one may be deleted since the walk), in
// their order.
Result<std::vector<HistoryRecord>> records_of(store::Database& db, const std::vector<std::int64_t>& rowids) {
  auto found = records_at(db, rowids);
  if (!found) return fail(found.error());
  std::vector<HistoryRecord> records;
  for (auto& record : *found) {
    if (record) records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace

Result<std::vector<HistoryRecord>> recent_matches(HistoryStore& store, const RecentMatchQuery& query) {
  if (query.max_commands == 0) return std::vector<HistoryRecord>{};
  auto rowids = newest_distinct(store.database(), query);
  if (!rowids) return fail(rowids.error());
  return records_of(store.database(), *rowids);
}

Result<void> RecentCommands::refresh(store::Database& db, std::int64_t window) {
  auto highest = newest_rowid(db);
  if (!highest) return fail(highest.error());
  // A smaller newest rowid means the newest entries were deleted: start afresh.
  if (window != m_window || *highest < m_highest) {
    m_commands.clear();
    m_window = window;
    m_highest = 0;
  }
  const std::int64_t oldest_kept = *highest - window;  // rowids above it are in the window
  while (!m_commands.empty() && m_commands.front().rowid <= oldest_kept) m_commands.pop_front();
  if (*highest == m_highest) return {};
  auto statement = db.prepare("SELECT rowid, command FROM command_history WHERE rowid > ?1 ORDER BY rowid");
  if (!statement) return fail(statement.error());
  statement->bind(1, std::max(m_highest, oldest_kept));
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    std::string text = statement->column_text(1);
    std::string lower = ascii_lower(text);
    m_commands.push_back({statement->column_int(0), std::move(text), std::move(lower)});
  }
  m_highest = *highest;
  return {};
}

std::vector<RecentCommands::Chosen> RecentCommands::newest_distinct(const std::vector<std::string>& words,
                                                                    std::size_t max) const {
  std::vector<Chosen> chosen;
  std::unordered_set<std::string_view> seen;
  for (auto it = m_commands.rbegin(); it != m_commands.rend() && chosen.size() < max; ++it) {
    const bool all = std::all_of(words.begin(), words.end(),
                                 [&](const std::string& word) { return it->lower.find(word) != std::string::npos; });
    if (all && seen.insert(it->text).second) chosen.push_back({it->rowid, it->text});
  }
  return chosen;
}

void RecentCommands::clear() {
  m_commands.clear();
  m_window = -1;
  m_highest = 0;
}

void RecentCommands::forget(std::int64_t rowid) {
  auto at = std::lower_bound(m_commands.begin(), m_commands.end(), rowid,
                             [](const Command& command, std::int64_t id) { return command.rowid < id; });
  if (at != m_commands.end() && at->rowid == rowid) m_commands.erase(at);
}

Result<std::vector<HistoryRecord>> recent_matches(HistoryStore& store, const RecentMatchQuery& query,
                                                  RecentCommands& commands) {
  if (query.max_commands == 0) return std::vector<HistoryRecord>{};
  if (!to_sql(query.filters, "h", 1).where.empty()) return recent_matches(store, query);
  std::vector<std::string> words;
  for (const auto& word : query.words) words.push_back(ascii_lower(word));
  // Another process may delete entries meanwhile (and reuse the newest
  // rowids): an entry not found is dropped, one that changed starts afresh.
  for (int attempt = 0; attempt < 3; ++attempt) {
    CMDAI_TRY(commands.refresh(store.database(), query.window));
    const auto chosen = commands.newest_distinct(words, query.max_commands);
    std::vector<std::int64_t> rowids;
    for (const auto& command : chosen) rowids.push_back(command.rowid);
    auto found = records_at(store.database(), rowids);
    if (!found) return fail(found.error());
    std::vector<HistoryRecord> records;
    bool missing = false;
    bool changed = false;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      auto& record = (*found)[i];
      if (!record) {
        missing = true;
        commands.forget(chosen[i].rowid);
        continue;
      }
      changed = changed || record->entry.command != chosen[i].text;
      records.push_back(std::move(*record));
    }
    if (changed) commands.clear();
    if (!missing && !changed) return records;
  }
  return recent_matches(store, query);
}

Result<const std::vector<std::int64_t>*> RankedAnswers::find(store::Database& db, const std::string& key) {
  auto newest = newest_rowid(db);
  if (!newest) return fail(newest.error());
  if (*newest != m_newest) {
    m_answers.clear();
    m_newest = *newest;
  }
  // Each distinct query of a picker's life is one small entry.
  auto at = m_answers.find(key);
  return at == m_answers.end() ? nullptr : &at->second;
}

void RankedAnswers::remember(std::string key, std::vector<std::int64_t> rowids) {
  m_answers.insert_or_assign(std::move(key), std::move(rowids));
}

Result<bool> any_entry(HistoryStore& store, const SearchFilters& filters) {
  const SqlFilter filter = to_sql(filters, "h", 1);
  auto statement =
      store.database().prepare_cached("SELECT EXISTS (SELECT 1 FROM command_history AS h WHERE 1" + filter.where + ")");
  if (!statement) return fail(statement.error());
  for (std::size_t i = 0; i < filter.parameters.size(); ++i) {
    std::visit([&](const auto& value) { statement->bind(1 + static_cast<int>(i), value); }, filter.parameters[i]);
  }
  auto row = statement->step();
  if (!row) return fail(row.error());
  return *row && statement->column_int(0) != 0;
}

}  // namespace cmdai::history
