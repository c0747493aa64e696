#include "team/server_search.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/entity_json.h"
#include "core/time.h"
#include "core/utf8.h"
#include "history/highlight.h"
#include "history/rank_blend.h"
#include "history/typo.h"
#include "team/server_filters.h"

namespace cmdai::team {
namespace {

constexpr std::size_t k_max_corrections = 4;  // near spellings tried for a word that matches nothing

constexpr std::string_view k_result_columns =
    "id::text, user_name, hostname, command, user_input, explanation, shell_type, working_directory, "
    "to_char(\"timestamp\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), execution_metadata::text, "
    "safety_metadata::text, tags::text, favorite, use_count, "
    "extract(epoch FROM ($2::timestamptz - \"timestamp\")) / 86400.0";

// $1 the tsquery (tsquery_text), $2 now, $3 candidate limit, then the
// filters'. With a window, only the newest `window` entries that pass the
// filters are looked at: walked newest first on the timestamp index, this
// stops at the limit's match, where matching every entry first reads each
// match of a common word from the table (seconds at a million entries).
std::string full_text_sql(const ServerFilter& filter, std::size_t window) {
  const std::string from = window == 0 ? std::string("command_history")
                                       : "(SELECT * FROM command_history WHERE TRUE" + filter.where +
                                             " ORDER BY \"timestamp\" DESC LIMIT " + std::to_string(window) + ") AS h";
  return "SELECT " + std::string(k_result_columns) + ", 1.0 + 5.0 * ts_rank(search, to_tsquery('simple', $1)) FROM " +
         from + " WHERE search @@ to_tsquery('simple', $1)" + filter.where + " ORDER BY \"timestamp\" DESC LIMIT $3";
}

struct Candidate {
  TeamSearchResult found;
  history::RankSignals signals;
  double score = 0;
  bool corrected = false;
};

// The query's words, each with the spellings it stands for.
using Terms = std::vector<std::vector<std::string>>;

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

// Every word as a prefix, all required, each with its near spellings as
// alternatives: 'restart':* & ('systemctl':* | 'systemd':*). A quote or a
// backslash in a word is doubled, as tsquery reads it.
std::string tsquery_text(const Terms& terms) {
  const auto quoted = [](const std::string& word) {
    std::string out = "'";
    for (char c : word) {
      if (c == '\'' || c == '\\') out += c;
      out += c;
    }
    return out + "':*";
  };
  std::string out;
  for (const auto& spellings : terms) {
    std::string group;
    for (const auto& word : spellings) group += (group.empty() ? "" : " | ") + quoted(word);
    out += (out.empty() ? "" : " & ") + (spellings.size() > 1 ? "(" + group + ")" : group);
  }
  return out;
}

// Best first by the blend; at most max_results, none below the threshold.
std::vector<TeamSearchResult> ranked(std::vector<Candidate> found, const history::SearchQuery& query,
                                     const std::vector<std::string>& words, const std::vector<std::string>& typos) {
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
    result.explanation =
        history::describe_rank(c.signals, "1 + 5 x ts_rank", c.corrected ? typos : std::vector<std::string>{});
    results.push_back(std::move(c.found));
  }
  return results;
}

// Near spellings are looked for, as locally, only for a word of the query
// that matches no entry at all (a typo), not merely because few entries
// match.
Result<std::vector<std::string>> unmatched_words(Connection& connection, const std::vector<std::string>& words) {
  std::string array;
  for (const auto& word : words) array += (array.empty() ? "{\"" : ",\"") + word + "\"";
  auto rows = connection.query(
      "SELECT w FROM unnest($1::text[]) AS w WHERE NOT EXISTS (SELECT 1 FROM command_history "
      "WHERE search @@ to_tsquery('simple', '''' || w || ''':*'))",
      {array + "}"});
  if (!rows) return fail(rows.error());
  std::vector<std::string> out;
  for (int row = 0; row < rows->size(); ++row) out.push_back(rows->text(row, 0));
  return out;
}

// The indexed words (cmdai_words) that word is a typo of, closest first, by
// the local search's rule (history/typo.h).
Result<std::vector<std::string>> near_spellings(Connection& connection, const std::string& word) {
  const std::string lower = ascii_lower(word);
  if (history::allowed_typos(lower.size()) == 0) return std::vector<std::string>{};
  auto rows = connection.query("SELECT word FROM cmdai_words WHERE word LIKE $1",
                               {like_literal(history::correction_prefix(lower)) + "%"});
  if (!rows) return fail(rows.error());
  std::vector<std::pair<std::size_t, std::string>> found;
  for (int row = 0; row < rows->size(); ++row) {
    std::string term = rows->text(row, 0);
    if (auto distance = history::typo_of(lower, term)) found.emplace_back(*distance, std::move(term));
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [distance, term] : found) {
    if (out.size() == k_max_corrections) break;
    out.push_back(std::move(term));
  }
  return out;
}

// The newest matches: among the newest `window` entries first. When those
// hold fewer than the limit, the share of matches they hold says how many
// newest entries would hold enough: up to k_widest_window times the first
// window, those are searched next (twice the estimate); otherwise, or when
// that too falls short, every entry. A window that holds the limit gives
// exactly the candidates a search of every entry would.
constexpr std::size_t k_widest_window = 40;

Result<std::vector<Candidate>> full_text(Connection& connection, const Terms& terms, const history::SearchQuery& query,
                                         const ServerFilter& filter, std::size_t window, bool corrected) {
  const std::string text = tsquery_text(terms);
  const std::size_t limit = std::max(query.candidate_limit, query.max_results);
  const auto search = [&](std::size_t entries) {
    return candidates(connection, full_text_sql(filter, entries), text, query, filter, corrected);
  };
  if (window == 0) return search(0);
  auto recent = search(window);
  if (!recent || recent->size() >= limit) return recent;
  if (!recent->empty() && window * limit * 2 / recent->size() <= window * k_widest_window) {
    auto wider = search(window * limit * 2 / recent->size());
    if (!wider || wider->size() >= limit) return wider;
  }
  return search(0);
}

}  // namespace

Result<std::vector<TeamSearchResult>> search_team(Connection& connection, const SchemaState& schema,
                                                  const history::SearchQuery& query, std::size_t window) {
  const auto words = history::word_parts(query.text);
  if (words.empty() || query.max_results == 0) return std::vector<TeamSearchResult>{};
  const ServerFilter filter = to_server_sql(query.filters, 4);
  Terms terms;
  for (const auto& word : words) terms.push_back({word});
  auto found = full_text(connection, terms, query, filter, window, false);
  if (!found) return fail(found.error());
  if (found->size() >= query.max_results || !schema.typo_tolerance) return ranked(std::move(*found), query, words, {});
  auto unmatched = unmatched_words(connection, words);
  if (!unmatched) return fail(unmatched.error());
  std::vector<std::string> typos;
  std::vector<std::string> marked = words;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (std::find(unmatched->begin(), unmatched->end(), words[i]) == unmatched->end()) continue;
    auto near = near_spellings(connection, words[i]);
    if (!near) return fail(near.error());
    if (near->empty()) continue;
    std::string note;
    for (const auto& spelling : *near) note += (note.empty() ? words[i] + " -> " : "|") + spelling;
    typos.push_back(std::move(note));
    marked.insert(marked.end(), near->begin(), near->end());
    terms[i] = std::move(*near);
  }
  if (typos.empty()) return ranked(std::move(*found), query, words, {});
  auto near = full_text(connection, terms, query, filter, window, true);
  if (!near) return fail(near.error());
  std::unordered_set<std::string> seen;
  for (const auto& c : *found) seen.insert(c.found.result.entry.id);
  for (auto& c : *near)
    if (seen.insert(c.found.result.entry.id).second) found->push_back(std::move(c));
  return ranked(std::move(*found), query, marked, typos);
}

}  // namespace cmdai::team
