#include "history/search.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/time.h"
#include "core/utf8.h"
#include "history/full_text.h"
#include "history/highlight.h"
#include "history/rank_blend.h"
#include "history/record_row.h"
#include "history/search_rank.h"
#include "history/typo.h"

namespace cmdai::history {
namespace {

constexpr std::size_t k_max_corrections = 4;
constexpr std::int64_t k_rare_matches = 2;  // a word this rare is checked for a likelier spelling
constexpr std::int64_t k_more_common = 5;   // ... that matches at least this many times as many entries

std::vector<std::string> query_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool searchable = false;
  auto flush = [&] {
    if (searchable) words.push_back(word);
    word.clear();
    searchable = false;
  };
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0') {
      flush();
      continue;
    }
    word += c;
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) searchable = true;
  }
  flush();
  return words;
}

std::string fts_phrase(std::string_view word) {
  std::string out = "\"";
  for (char c : word) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

enum class Match { whole_words, prefixes };

// One query word and what it may match: itself, or its corrections (ORed).
struct Term {
  std::vector<std::string> words;
};

// The MATCH expression and its phrases in the order FTS5 numbers them.
struct MatchPlan {
  std::string expression;
  std::vector<std::string> phrases;
};

MatchPlan plan(const std::vector<Term>& terms, Match match) {
  MatchPlan out;
  for (const Term& term : terms) {
    std::string group;
    for (const auto& word : term.words) {
      out.phrases.push_back(fts_phrase(word) + (match == Match::prefixes ? "*" : ""));
      group += (group.empty() ? "" : " OR ") + out.phrases.back();
    }
    if (term.words.size() > 1) group = "(" + group + ")";
    out.expression += (out.expression.empty() ? "" : " AND ") + group;
  }
  return out;
}

struct Ranked {
  std::int64_t rowid;
  double score, text, age_days, place;
  std::int64_t use_count;
  bool favorite;
};

// Candidates are the newest candidate_limit matching rows that pass the
// filters (FTS5 walks its doclists newest rowid first and stops there), so
// the cost of a query is bounded however common its words are; they are
// then ranked by the blended score. cmdai_bm25 (search_rank.h) takes each
// phrase's match count from parameters first_count onwards.
std::string ranking_sql(const SqlFilter& filter, std::size_t phrases, int first_count) {
  std::string counts;
  for (std::size_t i = 0; i < phrases; ++i) counts += ", ?" + std::to_string(first_count + static_cast<int>(i));
  return "WITH candidates AS MATERIALIZED ("
         "SELECT h.rowid AS rowid, 1.0 - cmdai_bm25(command_history_fts" +
         counts +
         ") AS text, "
         "h.timestamp AS timestamp, h.use_count AS use_count, h.favorite AS favorite, "
         "h.working_directory AS directory "
         "FROM command_history_fts CROSS JOIN command_history h ON h.rowid = command_history_fts.rowid "
         "WHERE command_history_fts MATCH ?1" +
         filter.where +
         " ORDER BY command_history_fts.rowid DESC LIMIT ?5), "
         "features AS (SELECT rowid, text, julianday(?2) - julianday(timestamp) AS age, use_count, favorite, "
         "CASE WHEN ?3 = '' THEN 0.0 WHEN directory = ?3 THEN 1.0 "
         "WHEN substr(directory, 1, length(?3) + 1) = ?3 || '/' THEN 0.5 ELSE 0.0 END AS place FROM candidates) "
         "SELECT rowid, cmdai_blend(text, age, use_count, place, favorite) AS score, text, age, place, use_count, "
         "favorite FROM features "
         "ORDER BY score DESC LIMIT ?4";
}

// With --since, no matching row has a rowid below the first one recorded
// on the since day (command_history_days); FTS5 then starts its walk there.
Result<void> bound_by_day(store::Database& db, const SearchFilters& filters, SqlFilter& filter, int first_parameter) {
  if (!filters.since) return {};
  auto statement = db.prepare_cached(
      "SELECT coalesce(min(first_rowid), 9223372036854775807) FROM command_history_days WHERE day >= substr(?1, 1, "
      "10)");
  if (!statement) return fail(statement.error());
  statement->bind(1, format_iso8601(*filters.since));
  auto row = statement->step();
  if (!row) return fail(row.error());
  const std::int64_t first = *row ? statement->column_int(0) : 0;
  filter.parameters.emplace_back(first);
  filter.where += " AND command_history_fts.rowid >= ?" +
                  std::to_string(first_parameter + static_cast<int>(filter.parameters.size()) - 1);
  return {};
}

Result<std::vector<Ranked>> rank(store::Database& db, const MatchPlan& match, const SearchQuery& query) {
  auto counts = phrase_match_counts(db, match.phrases);
  if (!counts) return fail(counts.error());
  SqlFilter filter = to_sql(query.filters, "h", 6);
  CMDAI_TRY(bound_by_day(db, query.filters, filter, 6));
  const int first_count = 6 + static_cast<int>(filter.parameters.size());
  auto statement = db.prepare_cached(ranking_sql(filter, counts->size(), first_count));
  if (!statement) return fail(statement.error());
  const Timestamp now = query.now.value_or(Clock::now());
  statement->bind(1, match.expression).bind(2, format_iso8601(now)).bind(3, query.current_directory);
  statement->bind(4, static_cast<std::int64_t>(query.max_results));
  statement->bind(5, static_cast<std::int64_t>(std::max(query.candidate_limit, query.max_results)));
  for (std::size_t i = 0; i < filter.parameters.size(); ++i) {
    std::visit([&](const auto& value) { statement->bind(6 + static_cast<int>(i), value); }, filter.parameters[i]);
  }
  for (std::size_t i = 0; i < counts->size(); ++i) statement->bind(first_count + static_cast<int>(i), (*counts)[i]);
  std::vector<Ranked> ranked;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return ranked;
    ranked.push_back({statement->column_int(0), statement->column_double(1), statement->column_double(2),
                      statement->column_double(3), statement->column_double(4), statement->column_int(5),
                      statement->column_int(6) != 0});
  }
}

// How many entries the phrase matches, counting no further than limit.
Result<std::int64_t> matches_up_to(store::Database& db, const std::string& phrase, std::int64_t limit) {
  auto statement = db.prepare_cached(
      "SELECT count(*) FROM (SELECT 1 FROM command_history_fts WHERE command_history_fts MATCH ?1 LIMIT ?2)");
  if (!statement) return fail(statement.error());
  statement->bind(1, phrase).bind(2, limit);
  auto row = statement->step();
  if (!row) return fail(row.error());
  return *row ? statement->column_int(0) : 0;
}

// How many entries hold the word as a whole word or (prefix) as the start
// of one, counting no further than k_rare_matches + 1: from the kept term
// counts when they answer exactly (a word that is one index term, and for
// a prefix at most one term starting with it), else from the index.
Result<std::int64_t> rare_matches(store::Database& db, TermCounts* counts, const std::string& word, Match match) {
  const bool one_term = std::all_of(word.begin(), word.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x80 && std::isalnum(u) != 0;
  });
  if (counts != nullptr && one_term) {
    auto terms = counts->find(ascii_lower(word), match == Match::prefixes ? TermMatch::prefix : TermMatch::exact);
    if (!terms) return fail(terms.error());
    if (terms->empty()) return 0;
    if (terms->size() == 1) return std::min(terms->front().entries, k_rare_matches + 1);
  }
  return matches_up_to(db, fts_phrase(word) + (match == Match::prefixes ? "*" : ""), k_rare_matches + 1);
}

// Widens each word that matches nothing, or at most k_rare_matches entries
// while a near spelling matches k_more_common times as many, to its
// corrections (keeping the word itself when it matches something): a typo
// is corrected whether or not the other words match, and even when the
// typo itself was stored once ("systemclt reload" still finds
// "systemctl reload nginx"). Returns the notes ("systemclt -> systemctl").
Result<std::vector<std::string>> widen_typos(store::Database& db, TermCounts* counts, std::vector<Term>& terms,
                                             std::vector<std::string>& marked) {
  std::vector<std::string> notes;
  for (Term& term : terms) {
    const std::string word = term.words.front();
    if (allowed_typos(word.size()) == 0) continue;
    // The whole word first: a prefix makes FTS5 merge the doclists of every
    // word it starts, which for a common word costs milliseconds.
    auto found = rare_matches(db, counts, word, Match::whole_words);
    if (found && *found <= k_rare_matches) found = rare_matches(db, counts, word, Match::prefixes);
    if (!found) return fail(found.error());
    if (*found > k_rare_matches) continue;
    auto fixes =
        counts != nullptr ? corrections(*counts, word, k_max_corrections) : corrections(db, word, k_max_corrections);
    if (!fixes) return fail(fixes.error());
    std::string note;
    for (const auto& fix : *fixes) {
      if (*found > 0 && fix.documents < *found * k_more_common) continue;
      term.words.push_back(fix.term);
      marked.push_back(fix.term);
      note += (note.empty() ? word + " -> " : "|") + fix.term;
    }
    if (note.empty()) continue;
    if (*found == 0) term.words.erase(term.words.begin());
    notes.push_back(std::move(note));
  }
  return notes;
}

std::string describe(const Ranked& r, const std::vector<std::string>& typos) {
  return describe_rank({r.text, r.age_days, r.use_count, r.place, r.favorite}, "1 + BM25", typos);
}

Result<std::optional<CommandHistoryEntry>> entry_at(store::Database& db, std::int64_t rowid) {
  auto statement =
      db.prepare_cached("SELECT " + std::string(k_record_columns) + " FROM command_history WHERE rowid = ?1");
  if (!statement) return fail(statement.error());
  statement->bind(1, rowid);
  auto row = statement->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<CommandHistoryEntry>{};
  auto record = read_record(*statement);
  if (!record) return fail(record.error());
  return std::optional<CommandHistoryEntry>(std::move(record->entry));
}

// The lower-case word parts results highlight: "a.tar.gz" is indexed as a,
// tar, gz, so each part is marked.
std::vector<std::string> marked_parts(const std::vector<std::string>& words) {
  std::vector<std::string> marked;
  for (const auto& word : words) {
    auto parts = word_parts(word);
    marked.insert(marked.end(), std::make_move_iterator(parts.begin()), std::make_move_iterator(parts.end()));
  }
  return marked;
}

}  // namespace

std::string to_fts_query(std::string_view text) {
  std::vector<Term> terms;
  for (const auto& word : query_words(text)) terms.push_back({{word}});
  return plan(terms, Match::prefixes).expression;
}

namespace {

// The ranked matches of the query's words, best first, with the typo notes
// and the words a result marks.
struct Matches {
  std::vector<Ranked> ranked;
  std::vector<std::string> typos;
  std::vector<std::string> marked;
};

Result<Matches> ranked_matches(HistoryStore& store, const SearchQuery& query) {
  Matches matches;
  const auto words = query_words(query.text);
  if (words.empty() || query.max_results == 0) return matches;
  matches.marked = marked_parts(words);
  std::vector<Term> terms;
  for (const auto& word : words) terms.push_back({{word}});
  auto typos = widen_typos(store.database(), query.term_counts, terms, matches.marked);
  if (!typos) return fail(typos.error());
  matches.typos = std::move(*typos);
  // Whole words first: a prefix term makes FTS5 merge the doclists of every
  // word it starts (git, github, gitlab ...), which dominates common queries.
  // Prefixes are searched when whole words find fewer than max_results.
  auto ranked = rank(store.database(), plan(terms, Match::whole_words), query);
  if (!ranked) return fail(ranked.error());
  if (ranked->size() < query.max_results && query.prefix_pass == PrefixPass::when_few) {
    ranked = rank(store.database(), plan(terms, Match::prefixes), query);
    if (!ranked) return fail(ranked.error());
  }
  matches.ranked = std::move(*ranked);
  return matches;
}

}  // namespace

Result<std::vector<SearchResult>> search(HistoryStore& store, const SearchQuery& query) {
  auto matches = ranked_matches(store, query);
  if (!matches) return fail(matches.error());
  std::vector<SearchResult> results;
  for (const Ranked& r : matches->ranked) {
    const double similarity = similarity_of(r.score, !matches->typos.empty());
    if (similarity < query.similarity_threshold) break;  // ranked best first: the rest are lower
    auto entry = entry_at(store.database(), r.rowid);
    if (!entry) return fail(entry.error());
    if (!*entry) continue;
    std::string context = highlight_entry(**entry, matches->marked, TermMatch::prefix);
    if (context.empty()) context = unmarked_context(**entry);
    (*entry)->relevance_score = similarity;  // the seed's field, for JSON readers
    results.push_back({std::move(**entry), similarity, std::move(context), describe(r, matches->typos)});
  }
  return results;
}

Result<std::vector<std::int64_t>> search_rowids(HistoryStore& store, const SearchQuery& query) {
  auto matches = ranked_matches(store, query);
  if (!matches) return fail(matches.error());
  std::vector<std::int64_t> rowids;
  for (const Ranked& r : matches->ranked) {
    if (similarity_of(r.score, !matches->typos.empty()) < query.similarity_threshold) break;
    rowids.push_back(r.rowid);
  }
  return rowids;
}

}  // namespace cmdai::history
