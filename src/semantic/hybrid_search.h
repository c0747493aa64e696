#pragma once
// Hybrid history search: words (BM25 over FTS5), the concept lexicon
// (everyday words -> command terms, BM25 over the command column) and
// embedding similarity (int8 vector index), fused by reciprocal rank and
// then nudged by recency, frequency and directory.
//
// Ranking, for each candidate entry d:
//   fused(d) = sum over signals s in which d ranks: 1 / (60 + rank_s(d))
//   final(d) = fused(d) * (1 + 0.10*recency + 0.10*frequency + 0.15*same_dir)
//     recency   = 2^(-age_days / 30)                      (1 today, 0.5 a month ago)
//     frequency = min(1, log2(1 + uses) / 4)              (uses: entries with this exact command)
//     same_dir  = 1 when the entry ran in the caller's current directory
// Entries with the same command are shown once (the best-ranked), so the
// list names different commands. similarity_score = final / best possible
// final for the signals used, in (0, 1]; results below the query's
// similarity_threshold are dropped. Filters restrict every signal before
// ranking.
//
// Modes: lexical = history::search (all words, BM25) with the filters;
// semantic = concepts + vectors; hybrid (default) = all three. Without an
// embedder, or when stored vectors come from another model, the vector
// signal is off and a notice says so.
//
// Uses the store's connection; one thread at a time.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/history_store.h"
#include "history/search.h"
#include "history/term_list.h"
#include "semantic/embedder.h"
#include "semantic/embedding_cache.h"
#include "semantic/query_terms.h"
#include "semantic/vector_index.h"
#include "semantic/vector_store.h"

namespace cmdai::semantic {

enum class SearchMode { lexical, semantic, hybrid };

std::string_view to_string(SearchMode mode);
Result<SearchMode> parse_search_mode(std::string_view text);

struct RankingContext {
  Timestamp now;
  std::string current_directory;  // "" turns the same-directory boost off
};

struct SearchOutcome {
  std::vector<history::SearchResult> results;
  std::vector<std::string> notices;  // e.g. "no embedding model: ..."
  bool used_vectors = false;
  bool used_concepts = false;
};

struct SignalLimits {
  std::size_t words = 100;  // candidates taken from each signal
  std::size_t concepts = 100;
  std::size_t vectors = 100;
  float min_vector_score = 0.05F;  // vector candidates below this are not candidates
  // Up to this many allowed rows, a filtered search reads them (a mask for
  // the vector scan, a check for the text matches); past it the filter
  // stays SQL joined to each text signal, and the vector signal is filtered
  // after an unmasked scan.
  std::size_t mask_rows = 50'000;
};

// How long a search engine keeps the history's term counts (the FTS
// vocabulary each search reads for its words, their prefixes and near
// spellings): for one search, or from one search to the next while the
// history's newest entry stays the same (a long-lived caller such as the
// picker, whose consecutive keys look up the same words; counts may then
// lag an edit or deletion of older entries until the next new entry).
enum class TermMemory { per_search, while_unchanged };

class SemanticSearch {
 public:
  // embedder and cache may be null (no vector signal); they must outlive this.
  SemanticSearch(history::HistoryStore& store, Embedder* embedder, EmbeddingCache* cache);

  // Opens this embedder's vectors (no-op without one): maps the index file
  // next to the database when it is current, else reads them from SQLite
  // and writes the file (vector_store.h). now stamps configuration rows.
  Result<void> load(Timestamp now = Clock::now());
  // Uses index instead of load()ing one (benchmarks build it directly).
  void use_index(VectorIndex index) { m_index = std::move(index); }

  // Lets the embedder start on the query's vector ahead of search(): when
  // the history holds this embedder's vectors and the cache has none for
  // text, the embedder may load its model on another thread
  // (Embedder::prefetch) while the caller goes on. search() does this too;
  // calling it earlier (before embed_pending and load()) widens the overlap.
  Result<void> prefetch_query_vector(const std::string& text);

  // The query's vector is computed after the text signals, so a model that
  // is still loading (prefetch) loads while they run.
  Result<SearchOutcome> search(const history::SearchQuery& query, SearchMode mode, const RankingContext& context);
  // The entries search() would return, in its order, as rowids: no entry
  // is read, marked or explained (a caller that shows a few fields of each
  // reads them itself: history::records_at).
  Result<std::vector<std::int64_t>> search_rowids(const history::SearchQuery& query, SearchMode mode,
                                                  const RankingContext& context);

  SignalLimits& limits() { return m_limits; }
  void set_term_memory(TermMemory memory) { m_term_memory = memory; }
  // Term lookups answered from reader's whole term list once it is read
  // (and read at the history's present newest entry); reader must outlive
  // this engine. Without one, each range of terms is read when first used.
  void use_term_list(const history::TermListReader& reader) { m_term_list = &reader; }
  const std::optional<VectorIndex>& index() const { return m_index; }
  // How load() got the index: mapped or rebuilt, rows appended.
  const std::optional<IndexSource>& index_source() const { return m_index_source; }
  std::int64_t appended_rows() const { return m_appended_rows; }

 private:
  // search(), or with rowids_only its rowids only (the outcome then holds
  // no results).
  Result<SearchOutcome> run(const history::SearchQuery& query, SearchMode mode, const RankingContext& context,
                            std::vector<std::int64_t>* rowids_only);
  Result<SearchOutcome> lexical(const history::SearchQuery& query);
  // The query's vector, or nullopt (with a notice) when vectors are off.
  Result<std::optional<Vector>> query_vector(const std::string& text, SearchOutcome& outcome);
  // The term counts for this search: kept ones when the memory allows.
  Result<Vocabulary*> vocabulary();

  history::HistoryStore& m_store;
  Embedder* m_embedder;
  EmbeddingCache* m_cache;
  std::optional<VectorIndex> m_index;
  std::optional<IndexSource> m_index_source;
  std::int64_t m_appended_rows = 0;
  std::vector<std::string> m_load_notices;
  SignalLimits m_limits;
  TermMemory m_term_memory = TermMemory::per_search;
  const history::TermListReader* m_term_list = nullptr;
  std::optional<Vocabulary> m_vocabulary;
  std::int64_t m_vocabulary_newest = 0;  // the newest rowid when m_vocabulary was opened
};

}  // namespace cmdai::semantic
