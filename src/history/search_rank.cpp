#include "history/search_rank.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "history/rank_blend.h"
#include "history/rows.h"

namespace cmdai::history {
namespace {

constexpr double k_k1 = 1.2;
constexpr double k_b = 0.75;
constexpr std::array<double, 4> k_column_weights{4.0, 2.0, 1.0, 2.0};  // command, user_input, explanation, tags

std::string weight_list() {
  std::string out;
  for (double weight : k_column_weights) {
    if (!out.empty()) out += ", ";
    const std::string text = std::to_string(weight);  // "4.000000"
    out += text.substr(0, text.find('.') + 2);        // "4.0"
  }
  return out;
}

// What stays the same for every row of one query.
struct QueryData {
  double average_length = 1;
  std::vector<double> idf;   // per phrase
  std::vector<double> freq;  // per phrase, reused for each row
};

QueryData* query_data(const Fts5ExtensionApi* api, Fts5Context* fts, int count, sqlite3_value** counts) {
  if (auto* data = static_cast<QueryData*>(api->xGetAuxdata(fts, 0))) return data;
  auto* data = new QueryData;
  sqlite3_int64 rows = 0, tokens = 0;
  api->xRowCount(fts, &rows);
  api->xColumnTotalSize(fts, -1, &tokens);
  data->average_length = rows > 0 ? std::max(1.0, static_cast<double>(tokens) / static_cast<double>(rows)) : 1.0;
  const int phrases = api->xPhraseCount(fts);
  for (int i = 0; i < phrases; ++i) {
    const double n = std::clamp(i < count ? sqlite3_value_double(counts[i]) : 1.0, 0.0, static_cast<double>(rows));
    // FTS5's IDF, floored like bm25()'s so that a word in most entries
    // still counts a little.
    const double idf = std::log((static_cast<double>(rows) - n + 0.5) / (n + 0.5));
    data->idf.push_back(std::max(idf, 1e-6));
  }
  data->freq.assign(data->idf.size(), 0.0);
  if (api->xSetAuxdata(fts, data, [](void* p) { delete static_cast<QueryData*>(p); }) != SQLITE_OK) return nullptr;
  return data;
}

void cmdai_bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context, int count,
                sqlite3_value** counts) {
  QueryData* data = query_data(api, fts, count, counts);
  if (data == nullptr) {
    sqlite3_result_error_nomem(context);
    return;
  }
  std::fill(data->freq.begin(), data->freq.end(), 0.0);
  int instances = 0;
  if (api->xInstCount(fts, &instances) != SQLITE_OK) instances = 0;
  for (int i = 0; i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    if (api->xInst(fts, i, &phrase, &column, &offset) != SQLITE_OK) continue;
    if (phrase < 0 || static_cast<std::size_t>(phrase) >= data->freq.size()) continue;
    data->freq[phrase] += column >= 0 && column < 4 ? k_column_weights[column] : 1.0;
  }
  int length = 0;
  api->xColumnSize(fts, -1, &length);
  const double norm = k_k1 * (1 - k_b + k_b * static_cast<double>(length) / data->average_length);
  double score = 0;
  for (std::size_t i = 0; i < data->freq.size(); ++i) {
    score += data->idf[i] * data->freq[i] * (k_k1 + 1) / (data->freq[i] + norm);
  }
  sqlite3_result_double(context, -score);
}

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(statement);
  }
  sqlite3_finalize(statement);
  return api;
}

// cmdai_blend(text, age_days, use_count, place, favorite): rank_blend.h's score.
void cmdai_blend(sqlite3_context* context, int, sqlite3_value** values) {
  const RankSignals signals{sqlite3_value_double(values[0]), sqlite3_value_double(values[1]),
                            sqlite3_value_int64(values[2]), sqlite3_value_double(values[3]),
                            sqlite3_value_int64(values[4]) != 0};
  sqlite3_result_double(context, blended_score(signals));
}

}  // namespace

const std::string& fts_rank_weights() {
  static const std::string text = "bm25(" + weight_list() + ")";
  return text;
}

const std::string& fts_rank_call() {
  static const std::string text = "bm25(command_history_fts, " + weight_list() + ")";
  return text;
}

Result<void> register_rank_function(store::Database& db) {
  fts5_api* api = fts5_of(db.handle());
  if (api == nullptr || api->iVersion < 2) {
    return fail(ErrorCode::unavailable, "this SQLite has no full-text search (FTS5)", "install a SQLite with FTS5");
  }
  int rc = api->xCreateFunction(api, "cmdai_bm25", nullptr, cmdai_bm25, nullptr);
  if (rc != SQLITE_OK) return fail(store::sqlite_error(db.handle(), rc, "registering the search ranking"));
  rc = sqlite3_create_function_v2(db.handle(), "cmdai_blend", 5, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                  cmdai_blend, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(store::sqlite_error(db.handle(), rc, "registering the search ranking"));
  return {};
}

Result<std::vector<double>> phrase_match_counts(store::Database& db, const std::vector<std::string>& phrases) {
  std::vector<double> counts;
  if (phrases.empty()) return counts;
  // Both read the rowid b-tree's edge.
  auto highest = newest_rowid(db);
  if (!highest) return fail(highest.error());
  auto lowest = oldest_rowid(db);
  if (!lowest) return fail(lowest.error());
  const double span = static_cast<double>(*highest - *lowest + 1);
  auto statement = db.prepare_cached(
      "SELECT rowid FROM command_history_fts WHERE command_history_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2");
  if (!statement) return fail(statement.error());
  for (const auto& phrase : phrases) {
    // reset() only rewinds the statement; step() reported any error.
    (void)statement->reset();
    statement->bind(1, phrase).bind(2, k_match_count_sample);
    std::int64_t seen = 0, oldest = 0;
    while (true) {
      auto row = statement->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      oldest = statement->column_int(0);
      ++seen;
    }
    if (seen < k_match_count_sample) {
      counts.push_back(static_cast<double>(seen));
    } else {
      // The newest rowids down to the sample's oldest hold `seen` matches.
      const double sample_span = static_cast<double>(std::max<std::int64_t>(*highest - oldest + 1, seen));
      counts.push_back(static_cast<double>(seen) * span / sample_span);
    }
  }
  return counts;
}

}  // namespace cmdai::history
