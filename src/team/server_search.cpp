#include "team/server_search.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "core/entity_json.h"
#include "core/time.h"
#include "core/utf8.h"
#include "history/highlight.h"
#include "history/rank_blend.h"
#include "history/typo.h"
#include "team/push_vectors.h"
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

// The full-text candidates, with near spellings for a word that matches
// nothing when they are fewer than max_results.
struct WordMatches {
  std::vector<Candidate> found;
  std::vector<std::string> marked;  // the words to mark in the context
  std::vector<std::string> typos;   // "sytemctl -> systemctl"
};

Result<WordMatches> word_matches(Connection& connection, const SchemaState& schema, const history::SearchQuery& query,
                                 const std::vector<std::string>& words, const ServerFilter& filter,
                                 std::size_t window) {
  Terms terms;
  for (const auto& word : words) terms.push_back({word});
  WordMatches out;
  out.marked = words;
  auto found = full_text(connection, terms, query, filter, window, false);
  if (!found) return fail(found.error());
  out.found = std::move(*found);
  if (out.found.size() >= query.max_results || !schema.typo_tolerance) return out;
  auto unmatched = unmatched_words(connection, words);
  if (!unmatched) return fail(unmatched.error());
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (std::find(unmatched->begin(), unmatched->end(), words[i]) == unmatched->end()) continue;
    auto near = near_spellings(connection, words[i]);
    if (!near) return fail(near.error());
    if (near->empty()) continue;
    std::string note;
    for (const auto& spelling : *near) note += (note.empty() ? words[i] + " -> " : "|") + spelling;
    out.typos.push_back(std::move(note));
    out.marked.insert(out.marked.end(), near->begin(), near->end());
    terms[i] = std::move(*near);
  }
  if (out.typos.empty()) return out;
  auto near = full_text(connection, terms, query, filter, window, true);
  if (!near) return fail(near.error());
  std::unordered_set<std::string> seen;
  for (const auto& c : out.found) seen.insert(c.found.result.entry.id);
  for (auto& c : *near)
    if (seen.insert(c.found.result.entry.id).second) out.found.push_back(std::move(c));
  return out;
}

// The entries whose vectors of model `number` lie nearest the query's,
// nearest first, among those the filters allow: $1 the query vector, $2
// now, $3 the limit, then the filters'. pgvector's iterative index scan
// (relaxed order) keeps reading the model's HNSW index until enough rows
// pass the filters; the candidates are sorted here again.
std::string nearest_sql(const ServerFilter& filter, std::int64_t number, std::size_t dimensions) {
  const std::string cast = "::vector(" + std::to_string(dimensions) + ")";
  const std::string distance = "embedding" + cast + " <=> $1" + cast;
  return "SELECT " + std::string(k_result_columns) + ", 1.0 - (" + distance +
         ") FROM cmdai_embeddings JOIN command_history USING (id) WHERE model = " + std::to_string(number) +
         filter.where + " ORDER BY " + distance + " LIMIT $3";
}

// ef_search bounds how many neighbours one index scan returns at most.
constexpr std::size_t k_max_ef_search = 1000;

struct Fused {
  Candidate* c = nullptr;
  int word_rank = 0;
  int vector_rank = 0;
  double cosine = 0;
  int uses = 1;
  double final_score = 0;
};

std::string describe_fused(const Fused& f, const std::vector<std::string>& typos, bool same_directory) {
  std::vector<std::string> parts;
  if (f.word_rank > 0) {
    std::string words = "words (#" + std::to_string(f.word_rank) + ")";
    if (f.c->corrected)
      for (const auto& typo : typos) words += "; typo: " + typo;
    parts.push_back(std::move(words));
  }
  if (f.vector_rank > 0) {
    char similarity[16];
    std::snprintf(similarity, sizeof similarity, "%.2f", f.cosine);
    parts.push_back(std::string("meaning (vector ") + similarity + ", #" + std::to_string(f.vector_rank) + ")");
  }
  if (f.uses > 1) parts.push_back("used " + std::to_string(f.uses) + " times");
  if (same_directory) parts.push_back("same directory");
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

// The word and vector candidates fused as the local hybrid search fuses
// its signals (history/rank_blend.h): one result per command, the best.
std::vector<TeamSearchResult> fused_results(WordMatches& words, std::vector<Candidate>& nearest,
                                            const history::SearchQuery& query, bool with_words) {
  std::stable_sort(words.found.begin(), words.found.end(), [](const Candidate& a, const Candidate& b) {
    if (a.corrected != b.corrected) return !a.corrected;
    return a.signals.text > b.signals.text;
  });
  std::stable_sort(nearest.begin(), nearest.end(),
                   [](const Candidate& a, const Candidate& b) { return a.signals.text > b.signals.text; });
  std::vector<Fused> fused;
  std::unordered_map<std::string, std::size_t> where;
  const auto add = [&](Candidate& c) -> Fused& {
    auto [it, added] = where.emplace(c.found.result.entry.id, fused.size());
    if (added) fused.push_back({&c});
    return fused[it->second];
  };
  for (std::size_t i = 0; i < words.found.size(); ++i) add(words.found[i]).word_rank = static_cast<int>(i + 1);
  for (std::size_t i = 0; i < nearest.size(); ++i) {
    Fused& f = add(nearest[i]);
    f.vector_rank = static_cast<int>(i + 1);
    f.cosine = nearest[i].signals.text;
  }
  std::unordered_map<std::string, int> uses;
  for (const auto& f : fused) ++uses[f.c->found.result.entry.command];
  for (auto& f : fused) {
    f.uses = uses[f.c->found.result.entry.command];
    f.final_score = history::fused_rank_score({f.word_rank, f.vector_rank}) *
                    history::fusion_prior(f.c->signals.age_days, f.uses, f.c->signals.place >= 1.0);
  }
  std::stable_sort(fused.begin(), fused.end(), [](const Fused& a, const Fused& b) {
    if (a.final_score != b.final_score) return a.final_score > b.final_score;
    return a.c->found.result.entry.timestamp > b.c->found.result.entry.timestamp;
  });
  const double best = history::fused_best(with_words ? 2 : 1);
  std::unordered_set<std::string> commands;
  std::vector<TeamSearchResult> results;
  for (auto& f : fused) {
    if (results.size() == query.max_results) break;
    const double similarity = std::min(1.0, f.final_score / best);
    if (similarity < query.similarity_threshold) break;
    if (!commands.insert(f.c->found.result.entry.command).second) continue;
    auto& result = f.c->found.result;
    result.similarity_score = similarity;
    result.matching_context = history::highlight_entry(result.entry, words.marked, history::TermMatch::prefix);
    if (result.matching_context.empty()) result.matching_context = history::unmarked_context(result.entry);
    result.explanation = describe_fused(f, words.typos, f.c->signals.place >= 1.0);
    results.push_back(std::move(f.c->found));
  }
  return results;
}

}  // namespace

Result<std::vector<TeamSearchResult>> search_team(Connection& connection, const SchemaState& schema,
                                                  const history::SearchQuery& query, std::size_t window) {
  const auto words = history::word_parts(query.text);
  if (words.empty() || query.max_results == 0) return std::vector<TeamSearchResult>{};
  const ServerFilter filter = to_server_sql(query.filters, 4);
  auto matches = word_matches(connection, schema, query, words, filter, window);
  if (!matches) return fail(matches.error());
  return ranked(std::move(matches->found), query, matches->marked, matches->typos);
}

Result<std::optional<std::vector<TeamSearchResult>>> search_team_by_meaning(Connection& connection,
                                                                            const SchemaState& schema,
                                                                            const history::SearchQuery& query,
                                                                            const QueryVector& vector, bool with_words,
                                                                            std::size_t window) {
  using Found = std::optional<std::vector<TeamSearchResult>>;
  if (!schema.vectors || vector.vector.size() != vector.model.dimensions || vector.model.dimensions == 0)
    return Found{};
  auto number = server_model_number(connection, vector.model);
  if (!number) return fail(number.error());
  if (!*number) return Found{};
  if (query.max_results == 0) return Found{std::vector<TeamSearchResult>{}};
  const ServerFilter filter = to_server_sql(query.filters, 4);
  const std::size_t limit = std::max(query.candidate_limit, query.max_results);
  CMDAI_TRY(connection.exec("SET hnsw.iterative_scan = relaxed_order; SET hnsw.ef_search = " +
                            std::to_string(std::clamp<std::size_t>(2 * limit, 40, k_max_ef_search))));
  auto nearest = candidates(connection, nearest_sql(filter, **number, vector.model.dimensions),
                            vector_literal(vector.vector), query, filter, false);
  if (!nearest) return fail(nearest.error());
  std::erase_if(*nearest, [](const Candidate& c) { return c.signals.text < k_min_vector_similarity; });
  WordMatches words;
  const auto query_words = history::word_parts(query.text);
  if (with_words && !query_words.empty()) {
    auto matches = word_matches(connection, schema, query, query_words, filter, window);
    if (!matches) return fail(matches.error());
    words = std::move(*matches);
  } else {
    words.marked = query_words;
  }
  return Found{fused_results(words, *nearest, query, with_words)};
}

}  // namespace cmdai::team
