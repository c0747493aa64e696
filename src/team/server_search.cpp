#include "team/server_search.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/entity_json.h"
#include "core/time.h"
#include "history/highlight.h"
#include "history/rank_blend.h"
#include "team/server_filters.h"

namespace cmdai::team {
namespace {

constexpr double k_trigram_threshold = 0.4;  // pg_trgm's word_similarity below which a command is no match

constexpr std::string_view k_result_columns =
    "id::text, user_name, hostname, command, user_input, explanation, shell_type, working_directory, "
    "to_char(\"timestamp\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), execution_metadata::text, "
    "safety_metadata::text, tags::text, favorite, use_count, "
    "extract(epoch FROM ($2::timestamptz - \"timestamp\")) / 86400.0";

// $1 the tsquery (tsquery_text), $2 now, $3 candidate limit, then the filters'.
std::string full_text_sql(const ServerFilter& filter) {
  return "SELECT " + std::string(k_result_columns) +
         ", 1.0 + 5.0 * ts_rank(search, to_tsquery('simple', $1)) FROM command_history "
         "WHERE search @@ to_tsquery('simple', $1)" +
         filter.where + " ORDER BY \"timestamp\" DESC LIMIT $3";
}

// $1 the query as typed.

std::string trigram_sql(const ServerFilter& filter) {
  return "SELECT " + std::string(k_result_columns) +
         ", 1.0 + 5.0 * word_similarity($1, command) FROM command_history WHERE $1 <% command" + filter.where +
         " ORDER BY word_similarity($1, command) DESC, \"timestamp\" DESC LIMIT $3";
}

struct Candidate {
  TeamSearchResult found;
  history::RankSignals signals;
  double score = 0;
  bool corrected = false;
};

Result<CommandHistoryEntry> entry_of(const Rows& rows, int row) {
  CommandHistoryEntry entry;
  entry.id = rows.text(row, 0);
  entry.command = rows.text(row, 3);
  entry.user_input = rows.optional_text(row, 4);
  entry.explanation = rows.text(row, 5);
  entry.shell_type = parse_shell_type(rows.text(row, 6)).value_or(ShellType::bash);
  entry.working_directory = rows.text(row, 7);
  auto when = parse_iso8601(rows.text(row, 8));
  if (!when) return fail(ErrorCode::corruption, "the team server sent an unreadable time: " + rows.text(row, 8));
  entry.timestamp = *when;
  const auto json = [&](int column) { return nlohmann::json::parse(rows.text(row, column), nullptr, false); };
  if (!rows.is_null(row, 9)) {
    if (auto metadata = execution_metadata_from_json(json(9))) entry.execution_metadata = *metadata;
  }
  if (!rows.is_null(row, 10)) {
    if (auto metadata = safety_metadata_from_json(json(10))) entry.safety_metadata = *metadata;
  }
  const auto tags = json(11);
  if (tags.is_array()) {
    for (const auto& tag : tags)
      if (tag.is_string()) entry.tags.push_back(tag.get<std::string>());
  }
  return entry;
}

Result<std::vector<Candidate>> candidates(Connection& connection, const std::string& sql, const std::string& first,
                                          const history::SearchQuery& query, const ServerFilter& filter,
                                          bool corrected) {
  std::vector<Parameter> parameters{first, format_iso8601(query.now.value_or(Clock::now())),
                                    std::to_string(std::max(query.candidate_limit, query.max_results))};
  parameters.insert(parameters.end(), filter.parameters.begin(), filter.parameters.end());
  auto rows = connection.query(sql, parameters);
  if (!rows) return fail(rows.error());
  std::vector<Candidate> out;
  for (int row = 0; row < rows->size(); ++row) {
    auto entry = entry_of(*rows, row);
    if (!entry) return fail(entry.error());
    Candidate c;
    c.signals = {rows->number(row, 15), rows->number(row, 14), rows->integer(row, 13),
                 history::place_of(entry->working_directory, query.current_directory), rows->text(row, 12) == "t"};
    c.score = history::blended_score(c.signals);
    c.corrected = corrected;
    c.found.user = rows->text(row, 1);
    c.found.host = rows->text(row, 2);
    c.found.result.entry = std::move(*entry);
    out.push_back(std::move(c));
  }
  return out;
}

// Every word as a prefix, all required: 'restart':* & 'bill':*. Words hold
// only letters, digits and non-ASCII bytes, so quoting them is enough.
std::string tsquery_text(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "'" : " & '") + word + "':*";
  return out;
}

// Best first by the blend; at most max_results, none below the threshold.
std::vector<TeamSearchResult> ranked(std::vector<Candidate> found, const history::SearchQuery& query,
                                     const std::vector<std::string>& words) {
  std::stable_sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return history::similarity_of(a.score, a.corrected) > history::similarity_of(b.score, b.corrected);
  });
  std::vector<TeamSearchResult> results;
  for (auto& c : found) {
    if (results.size() == query.max_results) break;
    const double similarity = history::similarity_of(c.score, c.corrected);
    if (similarity < query.similarity_threshold) break;
    auto& result = c.found.result;
    result.similarity_score = similarity;
    result.matching_context = history::highlight_entry(result.entry, words, history::TermMatch::prefix);
    if (result.matching_context.empty()) result.matching_context = history::unmarked_context(result.entry);
    const std::string source = c.corrected ? "1 + 5 x trigram similarity" : "1 + 5 x ts_rank";
    result.explanation = history::describe_rank(c.signals, source, {});
    results.push_back(std::move(c.found));
  }
  return results;
}

// Near spellings are looked for, as locally, only when a word of the query
// matches no entry at all (a typo), not merely because few entries match.
Result<bool> has_unmatched_word(Connection& connection, const std::vector<std::string>& words) {
  std::string array;
  for (const auto& word : words) array += (array.empty() ? "{\"" : ",\"") + word + "\"";
  auto rows = connection.query(
      "SELECT 1 FROM unnest($1::text[]) AS w WHERE NOT EXISTS (SELECT 1 FROM command_history "
      "WHERE search @@ to_tsquery('simple', '''' || w || ''':*')) LIMIT 1",
      {array + "}"});
  if (!rows) return fail(rows.error());
  return rows->size() > 0;
}

}  // namespace

Result<std::vector<TeamSearchResult>> search_team(Connection& connection, const SchemaState& schema,
                                                  const history::SearchQuery& query) {
  const auto words = history::word_parts(query.text);
  if (words.empty() || query.max_results == 0) return std::vector<TeamSearchResult>{};
  const ServerFilter filter = to_server_sql(query.filters, 4);
  auto found = candidates(connection, full_text_sql(filter), tsquery_text(words), query, filter, false);
  if (!found) return fail(found.error());
  if (found->size() >= query.max_results || !schema.typo_tolerance) return ranked(std::move(*found), query, words);
  auto unmatched = has_unmatched_word(connection, words);
  if (!unmatched) return fail(unmatched.error());
  if (!*unmatched) return ranked(std::move(*found), query, words);
  CMDAI_TRY(connection.exec("SET pg_trgm.word_similarity_threshold = " + std::to_string(k_trigram_threshold)));
  auto near = candidates(connection, trigram_sql(filter), query.text, query, filter, true);
  if (!near) return fail(near.error());
  std::unordered_set<std::string> seen;
  for (const auto& c : *found) seen.insert(c.found.result.entry.id);
  for (auto& c : *near)
    if (seen.insert(c.found.result.entry.id).second) found->push_back(std::move(c));
  return ranked(std::move(*found), query, words);
}

}  // namespace cmdai::team
