#include "semantic/hybrid_search.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "core/time.h"
#include "history/rank_blend.h"
#include "history/rows.h"
#include "semantic/highlight.h"
#include "semantic/lexicon.h"
#include "semantic/query_terms.h"
#include "semantic/search_filters.h"
#include "semantic/signals.h"
#include "semantic/vector_store.h"

namespace cmdai::semantic {

namespace {

struct Candidate {
  std::int64_t rowid = 0;
  int all_words_rank = 0;  // 1-based; 0: not found by that signal
  int word_rank = 0;
  int concept_rank = 0;
  int vector_rank = 0;
  int literal_rank = 0;  // in the lexical search's results (history::search)
  float vector_score = 0;
  const std::string* snippet_expression = nullptr;  // the FTS expression that found it
  // Filled from the row:
  std::string id;
  std::string command;
  Timestamp timestamp;
  std::string working_directory;
  double final_score = 0;
  int uses = 1;
};

// How many times its limit the vector signal takes from an unmasked scan
// under a broad filter, to keep the ones the filter allows.
constexpr std::size_t k_broad_factor = 5;

using Candidates = std::vector<Candidate>;

}  // namespace

std::string_view to_string(SearchMode mode) {
  switch (mode) {
    case SearchMode::lexical: return "lexical";
    case SearchMode::semantic: return "semantic";
    case SearchMode::hybrid: return "hybrid";
  }
  return "hybrid";
}

Result<SearchMode> parse_search_mode(std::string_view text) {
  for (auto mode : {SearchMode::lexical, SearchMode::semantic, SearchMode::hybrid}) {
    if (text == to_string(mode)) return mode;
  }
  return fail(ErrorCode::invalid_argument, "unknown search mode '" + std::string(text) + "'",
              "use lexical, semantic or hybrid");
}

SemanticSearch::SemanticSearch(history::HistoryStore& store, Embedder* embedder, EmbeddingCache* cache)
    : m_store(store), m_embedder(embedder), m_cache(cache) {
  // Searches read many FTS pages: map the file instead of copying pages
  // through read(). Per connection, the file is unchanged, and a failure
  // only costs speed, so the result is not checked.
  (void)m_store.database().exec("PRAGMA mmap_size = 1073741824");
}

Result<void> SemanticSearch::load(Timestamp now) {
  m_index.reset();
  m_index_source.reset();
  m_load_notices.clear();
  if (m_embedder == nullptr) return {};
  auto recorded = recorded_embedding_model(m_store.database());
  if (!recorded) return fail(recorded.error());
  if (!*recorded) {
    m_load_notices.push_back("no history entry has an embedding yet; run 'cmdai history reindex'");
    return {};
  }
  if (**recorded != m_embedder->model_id()) {
    m_load_notices.push_back("history embeddings come from another model (" + **recorded +
                             "); run 'cmdai history reindex' to use this one");
    return {};
  }
  auto opened = open_vector_index(m_store.database(), **recorded, m_embedder->dimensions(), now);
  if (!opened) return fail(opened.error());
  m_index = std::move(opened->index);
  m_index_source = opened->source;
  m_appended_rows = opened->appended;
  for (auto& notice : opened->notices) m_load_notices.push_back(std::move(notice));
  return {};
}

Result<SearchOutcome> SemanticSearch::lexical(const history::SearchQuery& query) {
  // History search applies the filters in its own SQL, before its LIMIT.
  auto results = history::search(m_store, query);
  if (!results) return fail(results.error());
  SearchOutcome outcome;
  for (auto& result : *results) {
    if (outcome.results.size() >= query.max_results) break;
    if (result.similarity_score < query.similarity_threshold) continue;
    result.entry.relevance_score = result.similarity_score;
    outcome.results.push_back(std::move(result));
  }
  return outcome;
}

namespace {

Candidate& candidate_for(Candidates& candidates, std::unordered_map<std::int64_t, std::size_t>& where,
                         std::int64_t rowid) {
  auto [it, added] = where.emplace(rowid, candidates.size());
  if (added) {
    candidates.emplace_back();
    candidates.back().rowid = rowid;
  }
  return candidates[it->second];
}

Result<void> fill_rows(store::Database& db, Candidates& candidates) {
  if (candidates.empty()) return {};
  std::unordered_map<std::int64_t, std::size_t> where;
  std::vector<std::int64_t> rowids;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    where[candidates[i].rowid] = i;
    rowids.push_back(candidates[i].rowid);
  }
  auto rows = history::row_summaries(db, rowids);
  if (!rows) return fail(rows.error());
  for (auto& row : *rows) {
    auto& c = candidates[where[row.rowid]];
    c.id = std::move(row.id);
    c.command = std::move(row.command);
    c.timestamp = row.timestamp;
    c.working_directory = std::move(row.working_directory);
  }
  return {};
}

double fused(const Candidate& c) {
  return history::fused_rank_score({c.all_words_rank, c.word_rank, c.concept_rank, c.vector_rank, c.literal_rank});
}

double prior(const Candidate& c, const RankingContext& context) {
  const double age_days = std::chrono::duration<double>(context.now - c.timestamp).count() / 86400.0;
  return history::fusion_prior(age_days, c.uses,
                               !context.current_directory.empty() && c.working_directory == context.current_directory);
}

// One candidate per command (the best), with uses = how many shared it.
Candidates rank(Candidates candidates, const RankingContext& context) {
  std::map<std::string, int> uses;
  for (const auto& c : candidates) ++uses[c.command];
  for (auto& c : candidates) {
    c.uses = uses[c.command];
    c.final_score = fused(c) * prior(c, context);
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    if (a.final_score != b.final_score) return a.final_score > b.final_score;
    return a.timestamp > b.timestamp;
  });
  std::set<std::string> seen;
  Candidates out;
  for (auto& c : candidates) {
    if (!c.id.empty() && seen.insert(c.command).second) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

namespace {

// Query words for the any-word signal: words a concept phrase consumed
// ("source control") say what the concept says and would only match noise
// ("source ~/.bashrc") on their own.
std::vector<std::string> loose_words(const QueryTerms& terms, const std::vector<ConceptMatch>& matches) {
  std::set<std::string> consumed;
  for (const auto& match : matches) consumed.insert(match.words.begin(), match.words.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < terms.words.size(); ++i) {
    for (const auto& word : {terms.words[i], terms.corrected_words[i]}) {
      const auto normal = normalized_words(word);
      if (normal.size() == 1 && consumed.contains(normal[0])) continue;
      if (std::find(out.begin(), out.end(), word) == out.end()) out.push_back(word);
    }
  }
  return out;
}

bool command_has_term(const std::string& command, std::string_view term) {
  const auto words = normalized_words(command);
  const auto wanted = normalized_words(term);
  if (wanted.empty()) return false;
  return std::search(words.begin(), words.end(), wanted.begin(), wanted.end()) != words.end();
}

std::string describe_concept(const std::vector<ConceptMatch>& matches, const std::string& command) {
  for (const auto& match : matches) {
    for (auto term : match.concept_entry->terms) {
      if (!command_has_term(command, term)) continue;
      return "concept " + std::string(match.concept_entry->name) + " (\"" + std::string(match.phrase) + "\" -> " +
             std::string(term) + ")";
    }
  }
  return "concept";
}

std::string explain(const Candidate& c, const std::vector<ConceptMatch>& matches, const QueryTerms& terms,
                    const RankingContext& context) {
  std::vector<std::string> parts;
  if (c.word_rank > 0) {
    std::string words = std::string(c.all_words_rank > 0 ? "all words" : "words") + " (#" +
                        std::to_string(c.all_words_rank > 0 ? c.all_words_rank : c.word_rank) + ")";
    for (const auto& fix : terms.corrections) words += "; read '" + fix.typed + "' as '" + fix.meant + "'";
    parts.push_back(words);
  }
  if (c.literal_rank > 0 && c.word_rank == 0) parts.push_back("text (#" + std::to_string(c.literal_rank) + ")");
  if (c.concept_rank > 0) parts.push_back(describe_concept(matches, c.command));
  if (c.vector_rank > 0) {
    char similarity[16];
    std::snprintf(similarity, sizeof similarity, "%.2f", static_cast<double>(c.vector_score));
    parts.push_back(std::string("meaning (vector ") + similarity + ", #" + std::to_string(c.vector_rank) + ")");
  }
  if (c.uses > 1) parts.push_back("used " + std::to_string(c.uses) + " times");
  if (!context.current_directory.empty() && c.working_directory == context.current_directory) {
    parts.push_back("same directory");
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

}  // namespace

namespace {

// text with leading and trailing whitespace dropped and each run of it one space.
std::string single_spaced(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      gap = !out.empty();
      continue;
    }
    if (gap) out += ' ';
    gap = false;
    out += c;
  }
  return out;
}

}  // namespace

Result<void> SemanticSearch::prefetch_query_vector(const std::string& text) {
  if (m_embedder == nullptr) return {};
  auto recorded = recorded_embedding_model(m_store.database());
  if (!recorded) return fail(recorded.error());
  if (!*recorded || **recorded != m_embedder->model_id()) return {};
  if (m_cache != nullptr) {
    auto cached = m_cache->holds(*m_embedder, single_spaced(text));
    if (!cached) return fail(cached.error());
    if (*cached) return {};
  }
  m_embedder->prefetch();
  return {};
}

Result<std::optional<Vector>> SemanticSearch::query_vector(const std::string& text, SearchOutcome& outcome) {
  if (m_embedder == nullptr) return std::optional<Vector>{};
  for (const auto& notice : m_load_notices) outcome.notices.push_back(notice);
  if (!m_index || m_index->size() == 0) return std::optional<Vector>{};
  // Spacing says nothing about meaning: the same words are one cache entry.
  const std::vector<std::string> texts{single_spaced(text)};
  auto vectors = m_cache != nullptr ? m_cache->embed(*m_embedder, texts) : m_embedder->embed(texts);
  if (!vectors) {
    // A server that stopped answering costs the vector signal, not the
    // search: words and concepts still rank.
    outcome.notices.push_back("the query was not embedded (" + vectors.error().describe() +
                              "); ranked without meaning vectors");
    return std::optional<Vector>{};
  }
  return std::optional<Vector>(std::move(vectors->front()));
}

namespace {

// Candidates gathered from the signals, each entry once.
struct Gathering {
  Candidates candidates;
  std::unordered_map<std::int64_t, std::size_t> where;
  std::string word_expression;
  std::string concept_expression;
  int signals = 0;

  Candidate& at(std::int64_t rowid) { return candidate_for(candidates, where, rowid); }
  void add(const std::vector<SignalHit>& hits, int Candidate::*rank, const std::string* expression) {
    for (std::size_t i = 0; i < hits.size(); ++i) {
      auto& c = at(hits[i].rowid);
      c.*rank = static_cast<int>(i + 1);
      if (c.snippet_expression == nullptr) c.snippet_expression = expression;
    }
    ++signals;
  }
};

Result<void> gather_words(Vocabulary& vocabulary, const QueryTerms& terms, const std::vector<ConceptMatch>& matches,
                          const FilterClause& clause, const SignalLimits& limits, Gathering& gathering) {
  auto hits = word_signal(vocabulary, loose_words(terms, matches), WordMatch::any, clause, limits.words);
  if (!hits) return fail(hits.error());
  gathering.word_expression = hits->expression;
  gathering.add(hits->hits, &Candidate::word_rank, &gathering.word_expression);
  // Entries with every word (as typed or corrected) rank on a list of their own.
  if (terms.words.size() < 2) return {};
  auto all = word_signal(vocabulary, terms.corrected_words, WordMatch::all, clause, limits.words);
  if (!all) return fail(all.error());
  gathering.add(all->hits, &Candidate::all_words_rank, nullptr);
  return {};
}

// How many of the lexical search's best hits a hybrid search always shows.
constexpr std::size_t k_kept_literal_hits = 3;

// The lexical search (history::search: every word, typo-tolerant, in every
// text column) over the query's words without fillers: entries that
// contain what the user typed. They rank as a signal of their own, and the
// best of them are kept in the results whatever the other signals say.
Result<std::vector<std::int64_t>> gather_literal(history::HistoryStore& store, Vocabulary& vocabulary,
                                                 const history::SearchQuery& query, const QueryTerms& terms,
                                                 Gathering& gathering) {
  if (terms.words.empty()) return std::vector<std::int64_t>{};
  history::SearchQuery literal = query;
  literal.text.clear();
  for (const auto& word : terms.words) literal.text += (literal.text.empty() ? "" : " ") + word;
  literal.similarity_threshold = 0;
  // Its typo check reads the term counts the word signal read.
  literal.term_counts = &vocabulary.counts();
  // Its ranking only: the entries are read once, for the fused results.
  auto rowids = history::search_rowids(store, literal);
  if (!rowids) return fail(rowids.error());
  std::vector<SignalHit> hits;
  for (std::int64_t rowid : *rowids) {
    SignalHit hit;
    hit.rowid = rowid;
    hits.push_back(hit);
  }
  gathering.add(hits, &Candidate::literal_rank, nullptr);
  std::vector<std::int64_t> kept;
  for (std::size_t i = 0; i < hits.size() && kept.size() < k_kept_literal_hits; ++i) kept.push_back(hits[i].rowid);
  return kept;
}

// Of hits, the first `limit` the filter allows, best first.
Result<std::vector<VectorHit>> allowed_hits(store::Database& db, const FilterClause& clause,
                                            const std::vector<VectorHit>& hits, std::size_t limit) {
  std::vector<std::int64_t> ids;
  for (const auto& hit : hits) ids.push_back(hit.id);
  auto passed = allowed_among(db, clause, ids);
  if (!passed) return fail(passed.error());
  std::vector<VectorHit> out;
  std::size_t next = 0;
  for (const auto& hit : hits) {
    if (out.size() == limit || next == passed->size()) break;
    if ((*passed)[next] == hit.id) {
      out.push_back(hit);
      ++next;
    }
  }
  return out;
}

// The vector signal under filters: with the allowed rows read, a mask over
// the scan. With a filter many rows pass (more than mask_rows, so not
// read), the k_broad_factor * limit best rows from the shortlist an
// unfiltered search would score, then those the filter allows: the whole
// limit when a fifth of the rows pass, a shorter list below that (the text
// signals, joined to the filter, are exact either way). At 1M entries,
// --since 300d: p99 19.5 ms.
Result<std::vector<VectorHit>> vector_hits(store::Database& db, const VectorIndex& index, const Vector& query,
                                           const FilterClause& clause, std::size_t limit) {
  if (clause.empty()) return index.search(query, limit);
  if (clause.rows != nullptr) {
    const auto mask = index.positions_of(clause.rows->rowids());
    return index.search(query, limit, &mask);
  }
  return allowed_hits(db, clause, index.search(query, limit * k_broad_factor, nullptr, limit), limit);
}

Result<void> gather_vectors(store::Database& db, const VectorIndex& index, const Vector& query,
                            const FilterClause& clause, const SignalLimits& limits, Gathering& gathering) {
  auto hits = vector_hits(db, index, query, clause, limits.vectors);
  if (!hits) return fail(hits.error());
  int rank = 0;
  for (const auto& hit : *hits) {
    if (hit.score < limits.min_vector_score) break;
    auto& c = gathering.at(hit.id);
    c.vector_rank = ++rank;
    c.vector_score = hit.score;
  }
  ++gathering.signals;
  return {};
}

// The commands of the kept literal hits (rows filled).
std::set<std::string> literal_commands(const Gathering& gathering, const std::vector<std::int64_t>& kept) {
  std::set<std::string> out;
  for (std::int64_t rowid : kept) {
    if (auto it = gathering.where.find(rowid); it != gathering.where.end()) {
      out.insert(gathering.candidates[it->second].command);
    }
  }
  return out;
}

// The best `limit` of ranked (most relevant first) at or above the
// threshold, with every kept literal command among them: one that ranked
// lower takes the place of the lowest-ranked other entry.
Candidates choose(Candidates ranked, const std::set<std::string>& literal, std::size_t limit, double best,
                  double threshold) {
  Candidates out;
  Candidates late;  // literal commands that ranked below the cut
  for (auto& c : ranked) {
    const bool is_literal = literal.contains(c.command);
    const bool fits = out.size() < limit && std::min(1.0, c.final_score / best) >= threshold;
    if (fits) {
      out.push_back(std::move(c));
    } else if (is_literal) {
      late.push_back(std::move(c));
    }
  }
  for (auto& c : late) {
    auto victim =
        std::find_if(out.rbegin(), out.rend(), [&](const Candidate& o) { return !literal.contains(o.command); });
    if (out.size() < limit) {
      out.push_back(std::move(c));
    } else if (victim != out.rend()) {
      out.erase(std::next(victim).base());
      out.push_back(std::move(c));
    }
  }
  return out;
}

// The final score of an entry first in every signal, with every boost.
double best_score(const Gathering& gathering) { return history::fused_best(gathering.signals); }

// The candidates that become results, most relevant first (kept literal
// hits that ranked lower last).
Candidates chosen(const history::SearchQuery& query, const RankingContext& context, Gathering& gathering,
                  const std::vector<std::int64_t>& kept_literal) {
  const auto literal = literal_commands(gathering, kept_literal);
  return choose(rank(std::move(gathering.candidates), context), literal, query.max_results, best_score(gathering),
                query.similarity_threshold);
}

// The rowids collect_results would turn into results, in its order.
std::vector<std::int64_t> chosen_rowids(const history::SearchQuery& query, const RankingContext& context,
                                        Gathering& gathering, const std::vector<std::int64_t>& kept_literal) {
  std::vector<std::int64_t> rowids;
  for (const auto& c : chosen(query, context, gathering, kept_literal)) rowids.push_back(c.rowid);
  return rowids;
}

// Ranks the candidates and turns the best into results, most relevant first
// (kept literal hits that ranked lower last). Candidates point at the
// gathering's expressions: it must stay in place.
Result<void> collect_results(history::HistoryStore& store, const history::SearchQuery& query,
                             const RankingContext& context, Gathering& gathering, const QueryTerms& terms,
                             const std::vector<ConceptMatch>& matches, const std::vector<std::int64_t>& kept_literal,
                             SearchOutcome& outcome) {
  const double best = best_score(gathering);
  for (auto& c : chosen(query, context, gathering, kept_literal)) {
    const double score = std::min(1.0, c.final_score / best);
    auto entry = store.get(c.id);
    if (!entry) return fail(entry.error());
    if (!*entry) continue;
    std::string context_text = c.command;
    if (c.snippet_expression != nullptr) {
      if (auto marked = highlight_terms(**entry, expression_terms(*c.snippet_expression)); !marked.empty()) {
        context_text = std::move(marked);
      }
    }
    (*entry)->relevance_score = score;
    outcome.results.push_back(
        {std::move(**entry), score, std::move(context_text), explain(c, matches, terms, context)});
  }
  return {};
}

}  // namespace

Result<Vocabulary*> SemanticSearch::vocabulary() {
  std::int64_t newest = 0;
  if (m_term_memory == TermMemory::while_unchanged || m_term_list != nullptr) {
    auto highest = history::newest_rowid(m_store.database());
    if (!highest) return fail(highest.error());
    newest = *highest;
  }
  if (m_term_memory == TermMemory::while_unchanged && m_vocabulary && newest == m_vocabulary_newest) {
    return &*m_vocabulary;
  }
  auto opened = Vocabulary::open(m_store.database());
  if (!opened) return fail(opened.error());
  m_vocabulary.emplace(std::move(*opened));
  m_vocabulary_newest = newest;
  if (m_term_list != nullptr) m_vocabulary->counts().use_list(*m_term_list, newest);
  return &*m_vocabulary;
}

Result<SearchOutcome> SemanticSearch::search(const history::SearchQuery& query, SearchMode mode,
                                             const RankingContext& context) {
  return run(query, mode, context, nullptr);
}

Result<std::vector<std::int64_t>> SemanticSearch::search_rowids(const history::SearchQuery& query, SearchMode mode,
                                                                const RankingContext& context) {
  std::vector<std::int64_t> rowids;
  auto outcome = run(query, mode, context, &rowids);
  if (!outcome) return fail(outcome.error());
  return rowids;
}

Result<SearchOutcome> SemanticSearch::run(const history::SearchQuery& query, SearchMode mode,
                                          const RankingContext& context, std::vector<std::int64_t>* rowids_only) {
  if (query.text.find('\0') != std::string::npos) {
    return fail(ErrorCode::invalid_argument, "the search query contains a NUL byte", "remove it and try again");
  }
  if (mode == SearchMode::lexical && rowids_only != nullptr) {
    auto rowids = history::search_rowids(m_store, query);
    if (!rowids) return fail(rowids.error());
    if (rowids->size() > query.max_results) rowids->resize(query.max_results);
    *rowids_only = std::move(*rowids);
    return SearchOutcome{};
  }
  if (mode == SearchMode::lexical) return lexical(query);
  store::Database& db = m_store.database();
  auto vocabulary = this->vocabulary();
  if (!vocabulary) return fail(vocabulary.error());
  auto terms = query_terms(**vocabulary, query.text);
  if (!terms) return fail(terms.error());
  FilterClause clause = filter_clause(query.filters, 3);
  if (m_index && m_index->size() > 0) CMDAI_TRY(prefetch_query_vector(query.text));
  SearchOutcome outcome;
  // The rows the filters allow, read once when they are few: a mask for the
  // vector scan, and a check for each text match (cheaper than a row lookup
  // per match). 1M entries, one directory of 41: p99 8.9 ms without vectors
  // (14.8 joined); a filter past mask_rows pays about 2 ms to find out.
  std::optional<RowSet> allowed;
  if (!clause.empty()) {
    auto rowids = allowed_rowids(db, clause, m_limits.mask_rows);
    if (!rowids) return fail(rowids.error());
    if (*rowids) {
      allowed.emplace(std::move(**rowids));
      clause.rows = &*allowed;
    }
  }
  const auto matches = match_concepts(terms->corrected_text);
  Gathering gathering;
  std::vector<std::int64_t> kept_literal;
  if (mode == SearchMode::hybrid) {
    CMDAI_TRY(gather_words(**vocabulary, *terms, matches, clause, m_limits, gathering));
    auto literal = gather_literal(m_store, **vocabulary, query, *terms, gathering);
    if (!literal) return fail(literal.error());
    kept_literal = std::move(*literal);
  }
  outcome.used_concepts = !matches.empty();
  if (!matches.empty()) {
    auto hits = concept_signal(**vocabulary, expand_query(terms->corrected_text), clause, m_limits.concepts);
    if (!hits) return fail(hits.error());
    gathering.concept_expression = hits->expression;
    gathering.add(hits->hits, &Candidate::concept_rank, &gathering.concept_expression);
  }
  auto vector = query_vector(query.text, outcome);
  if (!vector) return fail(vector.error());
  outcome.used_vectors = vector->has_value();
  if (*vector) CMDAI_TRY(gather_vectors(db, *m_index, **vector, clause, m_limits, gathering));
  if (!*vector && mode == SearchMode::semantic && m_embedder == nullptr) {
    outcome.notices.push_back("no embedding model installed: semantic search is using the concept lexicon only");
  }
  CMDAI_TRY(fill_rows(db, gathering.candidates));
  if (rowids_only != nullptr) {
    *rowids_only = chosen_rowids(query, context, gathering, kept_literal);
    return outcome;
  }
  CMDAI_TRY(collect_results(m_store, query, context, gathering, *terms, matches, kept_literal, outcome));
  return outcome;
}

}  // namespace cmdai::semantic
