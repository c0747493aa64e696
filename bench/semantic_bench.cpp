// Semantic history search: hybrid query latency (p50/p99) at 10k, 100k and
// 1M entries (with and without the vector signal, filtered narrowly and broadly), the vector
// search (sign prefilter + int8 rescoring) against the full int8 scan and a
// naive float loop (baselines measured in the same run), how much of the
// full scan's top 100 the prefilter keeps, what a fresh process pays to open
// the index (mapping the file vs reading every vector from SQLite),
// embedding-cache hit cost against embedding the text again, and reindex
// throughput.
//
//   ./build/release/bench/semantic_bench --benchmark_filter='Hybrid|Vector|IndexOpen'
//   CMDAI_TEST_BERT_GGUF=tiny-bert.gguf ./build/release/bench/semantic_bench --benchmark_filter=Llama
//
// Histories are synthetic (templated commands with random paths and names,
// timestamps over two years) and cached in $TMPDIR/cmdai-semantic-bench-N.db
// between runs. Vectors come from the n-gram test embedder: the scan costs
// the same for any 384-dimension model.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <set>

#include <time.h>

#include "core/env.h"
#include "core/uuid.h"
#include "history/embeddings.h"
#include "history/history_store.h"
#include "history/rows.h"
#include "history/search.h"
#include "semantic/embedding_cache.h"
#include "semantic/hybrid_search.h"
#include "semantic/llama/llama_embedder.h"
#include "semantic/ngram_embedder.h"
#include "semantic/reindex.h"
#include "semantic/vector_file.h"
#include "semantic/vector_store.h"
#include "store/database.h"

namespace cmdai::semantic {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

constexpr const char* k_templates[] = {
    "git log --oneline -n {n}",
    "git checkout -b feature/{w}",
    "git commit -m \"fix {w}\"",
    "git push origin {w}",
    "docker logs -f {w}",
    "docker run -d --name {w} {w}:latest",
    "docker exec -it {w} sh",
    "kubectl get pods -n {w}",
    "kubectl logs -f deploy/{w}",
    "ssh deploy@{w}-{n}",
    "scp {w}.tar.gz deploy@{w}:/tmp/",
    "rsync -av {w}/ /backup/{w}/",
    "tar -czf {w}.tar.gz {w}/",
    "tar -xzf {w}.tar.gz",
    "find . -name \"*.{w}\" -mtime +{n}",
    "grep -rn \"{w}\" src/",
    "rg -i {w}",
    "du -sh {w}",
    "df -h",
    "free -h",
    "ps aux | grep {w}",
    "kill -9 {n}",
    "systemctl restart {w}",
    "journalctl -u {w} --since \"{n} min ago\"",
    "curl -s http://localhost:{n}/{w}",
    "ping -c 4 {w}.example.com",
    "dig {w}.example.com",
    "ss -tlnp | grep {n}",
    "chmod +x {w}.sh",
    "sudo chown -R {w}:{w} /srv/{w}",
    "vim {w}.conf",
    "cat {w}.log | tail -n {n}",
    "sed -i 's/{w}/{w}/g' {w}.yaml",
    "python3 {w}.py --port {n}",
    "npm run {w}",
    "make -j{n} {w}",
    "cargo build --release -p {w}",
    "pg_dump {w} > {w}.sql",
    "redis-cli get {w}",
    "aws s3 cp {w}.zip s3://{w}/",
    "terraform plan -target={w}",
    "ffmpeg -i {w}.mp4 {w}.mp3",
    "ls -la {w}",
};

std::string fill(std::string text, std::mt19937& rng) {
  static const char* syllables[] = {"ka", "to", "ri", "mo", "sen", "lu", "dar", "vi", "pe", "nox", "qua", "zel"};
  std::uniform_int_distribution<int> syllable(0, 11);
  std::uniform_int_distribution<int> number(1, 9999);
  for (std::size_t at; (at = text.find("{w}")) != std::string::npos;) {
    text.replace(at, 3, std::string(syllables[syllable(rng)]) + syllables[syllable(rng)] + syllables[syllable(rng)]);
  }
  for (std::size_t at; (at = text.find("{n}")) != std::string::npos;) text.replace(at, 3, std::to_string(number(rng)));
  return text;
}

CommandHistoryEntry synthetic_entry(std::mt19937& rng, Timestamp now) {
  std::uniform_int_distribution<std::size_t> pick(0, std::size(k_templates) - 1);
  std::uniform_int_distribution<int> minutes(0, 2 * 365 * 24 * 60);
  std::uniform_int_distribution<int> directory(0, 40);
  CommandHistoryEntry e;
  e.id = make_uuid_v4();
  e.command = fill(k_templates[pick(rng)], rng);
  e.timestamp = now - std::chrono::minutes(minutes(rng));
  e.working_directory = "/home/dev/project" + std::to_string(directory(rng));
  e.safety_metadata = SafetyMetadata{RiskLevel::safe, {}, false, 1.0};
  return e;
}

struct Corpus {
  std::unique_ptr<history::HistoryStore> store;
  std::unique_ptr<NgramEmbedder> embedder;
  std::unique_ptr<EmbeddingCache> cache;
  std::unique_ptr<SemanticSearch> search;
  std::unique_ptr<SemanticSearch> without_vectors;
  double build_seconds = 0;
  double index_seconds = 0;
};

fs::path corpus_path(std::int64_t n) {
  return fs::temp_directory_path() / ("cmdai-semantic-bench-" + std::to_string(n) + ".db");
}

void fill_store(history::HistoryStore& store, std::int64_t n, Timestamp now) {
  std::mt19937 rng(static_cast<unsigned>(n));
  auto have = store.count();
  for (std::int64_t done = have ? *have : 0; done < n;) {
    // insert() commits each entry itself (it may not run inside a transaction).
    for (int i = 0; i < 10'000 && done < n; ++i, ++done) {
      if (auto inserted = store.insert(synthetic_entry(rng, now)); !inserted) {
        std::fprintf(stderr, "insert: %s\n", inserted.error().describe().c_str());
        std::abort();
      }
    }
  }
}

constexpr std::int64_t k_templated_rows = 100'000;

// Above 100k entries, more templated entries with a varied suffix
// ("... #1234"), stored 100k at a time by store_batch (the import path: one
// transaction, full-text index filled in bulk): the per-entry insert path
// would take many minutes at 1M on a shared machine.
void grow_store(history::HistoryStore& store, std::int64_t n, Timestamp now) {
  std::mt19937 rng(static_cast<unsigned>(n) + 1);
  std::uniform_int_distribution<int> suffix(0, 4999);
  while (*store.count() < n) {
    const std::int64_t batch = std::min<std::int64_t>(k_templated_rows, n - *store.count());
    std::vector<history::HistoryRecord> records(static_cast<std::size_t>(batch));
    for (auto& record : records) {
      record.entry = synthetic_entry(rng, now);
      record.entry.command += " #" + std::to_string(suffix(rng));
    }
    auto outcomes = store.store_batch(std::move(records));
    if (!outcomes) std::abort();
    for (const auto& outcome : *outcomes) {
      if (!outcome) std::abort();
    }
  }
}

// Every entry's rowid and command, in rowid order, through the history's
// rowid API.
void for_each_command(store::Database& db, const std::function<void(std::int64_t, const std::string&)>& visit) {
  constexpr std::int64_t k_chunk = 10'000;
  auto newest = history::newest_rowid(db);
  if (!newest) std::abort();
  std::vector<std::int64_t> rowids;
  for (std::int64_t first = 1; first <= *newest; first += k_chunk) {
    rowids.clear();
    for (std::int64_t rowid = first; rowid < first + k_chunk && rowid <= *newest; ++rowid) rowids.push_back(rowid);
    auto rows = history::row_summaries(db, rowids);
    if (!rows) std::abort();
    std::sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) { return a.rowid < b.rowid; });
    for (const auto& row : *rows) visit(row.rowid, row.command);
  }
}

Corpus& corpus(std::int64_t n) {
  static std::map<std::int64_t, Corpus> corpora;
  auto it = corpora.find(n);
  if (it != corpora.end()) return it->second;
  static RealEnv env;
  Corpus& c = corpora[n];
  auto start = Steady::now();
  c.store = std::make_unique<history::HistoryStore>(*history::HistoryStore::open(corpus_path(n)));
  fill_store(*c.store, std::min(n, k_templated_rows), env.now());
  grow_store(*c.store, n, env.now());
  c.build_seconds = std::chrono::duration<double>(Steady::now() - start).count();
  start = Steady::now();
  c.embedder = std::make_unique<NgramEmbedder>();
  VectorIndex index(c.embedder->dimensions());
  for_each_command(c.store->database(), [&](std::int64_t rowid, const std::string& command) {
    if (!index.add(rowid, c.embedder->embed(std::vector<std::string>{command})->front())) std::abort();
  });
  c.index_seconds = std::chrono::duration<double>(Steady::now() - start).count();
  c.cache = std::make_unique<EmbeddingCache>(c.store->database(), env);
  c.search = std::make_unique<SemanticSearch>(*c.store, c.embedder.get(), c.cache.get());
  c.search->use_index(std::move(index));
  c.without_vectors = std::make_unique<SemanticSearch>(*c.store, nullptr, nullptr);
  return c;
}

const std::vector<std::string>& bench_queries() {
  static const std::vector<std::string> queries{"git log",
                                                "docker logs",
                                                "free space left",
                                                "source control history",
                                                "dokcer ps",
                                                "kubectl pods",
                                                "restart the web server",
                                                "what is eating ram",
                                                "compress a folder",
                                                "ssh deploy",
                                                "jounalctl",
                                                "open ports",
                                                "extract archive",
                                                "who changed this line",
                                                "copy files to the server",
                                                "tar",
                                                "grep TODO",
                                                "database backup",
                                                "find big files",
                                                "python port"};
  return queries;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Latency over every bench query (one warm-up round, then the timed
// rounds); reports p50/p99 in milliseconds as counters, of wall time and of
// this thread's CPU time (the honest figure on a loaded machine: wall time
// includes waiting for a core).
void run_queries(benchmark::State& state, SemanticSearch& search, SearchMode mode,
                 const history::SearchFilters& filters = {}) {
  Corpus& c = corpus(state.range(0));
  std::vector<double> samples;
  std::vector<double> cpu_samples;
  const RankingContext context{std::chrono::system_clock::now(), "/home/dev/project3"};
  for (const auto& text : bench_queries())
    benchmark::DoNotOptimize(search.search({text, 10, 0.0, filters}, mode, context));
  for (auto _ : state) {
    for (const auto& text : bench_queries()) {
      const auto start = Steady::now();
      const double cpu_start = thread_cpu_ms();
      auto outcome = search.search({text, 10, 0.0, filters}, mode, context);
      cpu_samples.push_back(thread_cpu_ms() - cpu_start);
      samples.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
      if (!outcome) std::abort();
      benchmark::DoNotOptimize(outcome);
    }
  }
  state.counters["p50_ms"] = percentile(samples, 0.50);
  state.counters["p99_ms"] = percentile(samples, 0.99);
  state.counters["cpu_p50_ms"] = percentile(cpu_samples, 0.50);
  state.counters["cpu_p99_ms"] = percentile(cpu_samples, 0.99);
  state.counters["build_s"] = c.build_seconds;
  state.counters["index_s"] = c.index_seconds;
  state.counters["index_MB"] = static_cast<double>(c.search->index()->memory_bytes()) / 1e6;
}

void BM_HybridQuery(benchmark::State& state) { run_queries(state, *corpus(state.range(0)).search, SearchMode::hybrid); }
// The same queries without the vector signal: words + lexicon only.
void BM_HybridWithoutVectorsBaseline(benchmark::State& state) {
  run_queries(state, *corpus(state.range(0)).without_vectors, SearchMode::hybrid);
}
void BM_LexicalQueryBaseline(benchmark::State& state) {
  run_queries(state, *corpus(state.range(0)).search, SearchMode::lexical);
}
// Filtered to one of 41 directories (and below): the allowed rows are read
// once, mask the vector search and check the text signals' matches.
void BM_HybridQueryFiltered(benchmark::State& state) {
  history::SearchFilters filters;
  filters.cwd = "/home/dev/project3";
  run_queries(state, *corpus(state.range(0)).search, SearchMode::hybrid, filters);
}
// The one-directory filter without an embedding model (text signals only).
void BM_HybridFilteredWithoutVectors(benchmark::State& state) {
  history::SearchFilters filters;
  filters.cwd = "/home/dev/project3";
  run_queries(state, *corpus(state.range(0)).without_vectors, SearchMode::hybrid, filters);
}
void BM_HybridBroadFilterWithoutVectors(benchmark::State& state) {
  history::SearchFilters filters;
  filters.since = RealEnv().now() - std::chrono::hours(24 * 300);
  run_queries(state, *corpus(state.range(0)).without_vectors, SearchMode::hybrid, filters);
}
// A filter most rows pass (the last 300 of the corpus's 730 days): the
// allowed rows are many, the work is reading them.
void BM_HybridQueryBroadFilter(benchmark::State& state) {
  history::SearchFilters filters;
  filters.since = RealEnv().now() - std::chrono::hours(24 * 300);
  run_queries(state, *corpus(state.range(0)).search, SearchMode::hybrid, filters);
}

// The vector search as hybrid search runs it (sign prefilter + int8
// rescoring above 20k rows), with the share of the full int8 scan's top 100
// it returns, averaged over the bench queries.
void BM_VectorSearch(benchmark::State& state) {
  Corpus& c = corpus(state.range(0));
  const VectorIndex& index = *c.search->index();
  std::vector<Vector> queries;
  for (const auto& text : bench_queries())
    queries.push_back(c.embedder->embed(std::vector<std::string>{text})->front());
  // overlap: ids in both top 100s; as_good: returned rows scoring at least
  // the full scan's 100th (near-duplicate histories tie a lot, so the ids
  // of equally good rows differ without any loss).
  double overlap = 0;
  double as_good = 0;
  for (const auto& query : queries) {
    const auto fast = index.search(query, 100);
    const auto exact = index.search_exact(query, 100);
    std::set<std::int64_t> want;
    for (const auto& hit : exact) want.insert(hit.id);
    for (const auto& hit : fast) {
      overlap += want.contains(hit.id) ? 1.0 : 0.0;
      as_good += hit.score >= exact.back().score ? 1.0 : 0.0;
    }
  }
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(index.search(queries[i++ % queries.size()], 100));
  state.counters["rows"] = static_cast<double>(index.size());
  state.counters["overlap_at_100"] = overlap / (100.0 * static_cast<double>(queries.size()));
  state.counters["as_good_at_100"] = as_good / (100.0 * static_cast<double>(queries.size()));
}

// Every row scored with the int8 kernel (AVX2 when present): the baseline
// the prefilter is measured against.
void BM_VectorScanInt8Baseline(benchmark::State& state) {
  Corpus& c = corpus(state.range(0));
  const auto query = c.embedder->embed(std::vector<std::string>{"free space left on the disk"})->front();
  for (auto _ : state) benchmark::DoNotOptimize(c.search->index()->search_exact(query, 100));
  state.counters["rows"] = static_cast<double>(c.search->index()->size());
}
// What a fresh process pays for the index: map the file (header and row
// checks) and run the first vector search on the new mapping (its page
// faults included; the file is in the page cache, as after any recent use).
void BM_IndexOpenMapped(benchmark::State& state) {
  Corpus& c = corpus(state.range(0));
  const fs::path path =
      fs::temp_directory_path() / ("cmdai-semantic-bench-" + std::to_string(state.range(0)) + ".vectors");
  if (!write_vector_file(path, *c.search->index(), {"bench", 1, c.search->index()->last_id()})) std::abort();
  const auto query = c.embedder->embed(std::vector<std::string>{"free space left on the disk"})->front();
  for (auto _ : state) {
    auto mapped = map_vector_file(path, c.embedder->dimensions());
    if (!mapped || !*mapped) std::abort();
    benchmark::DoNotOptimize((*mapped)->index.search(query, 100));
  }
  state.counters["file_MB"] = static_cast<double>(fs::file_size(path)) / 1e6;
}

// Without the file: every vector read from SQLite (f32 blobs) and
// quantised, as every search process did before the file existed. The
// corpus gets its vectors stored once (cached in the bench database).
void BM_IndexOpenFromSQLiteBaseline(benchmark::State& state) {
  Corpus& c = corpus(state.range(0));
  store::Database& db = c.store->database();
  const std::size_t dimensions = c.embedder->dimensions();
  if (*history::count_without_embedding(db, dimensions) > 0) {
    auto transaction = store::Transaction::begin(db);
    if (!transaction) std::abort();
    for (std::int64_t cursor = 0;;) {
      auto pending =
          history::entries_without_embedding(db, dimensions, cursor, 10'000, history::EmbeddingOrder::oldest_first);
      if (!pending) std::abort();
      if (pending->empty()) break;
      std::vector<std::vector<float>> vectors;
      std::vector<history::EmbeddingWrite> writes;
      for (const auto& entry : *pending) {
        vectors.push_back(c.embedder->embed(std::vector<std::string>{entry.command})->front());
      }
      for (std::size_t i = 0; i < pending->size(); ++i) writes.push_back({(*pending)[i].rowid, vectors[i]});
      if (!history::write_embeddings(db, writes, dimensions)) std::abort();
      cursor = pending->back().rowid;
    }
    if (!transaction->commit()) std::abort();
  }
  for (auto _ : state) {
    auto index = load_vector_index(db, c.embedder->dimensions());
    if (!index) std::abort();
    benchmark::DoNotOptimize(index->size());
  }
}

void BM_VectorScanFloatBaseline(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> rows(n * 384);
  for (float& x : rows) x = normal(rng);
  std::vector<float> query(384);
  for (float& x : query) x = normal(rng);
  for (auto _ : state) {
    float best = -1e30F;
    for (std::size_t i = 0; i < n; ++i) {
      float sum = 0;
      for (std::size_t d = 0; d < 384; ++d) sum += rows[i * 384 + d] * query[d];
      best = std::max(best, sum);
    }
    benchmark::DoNotOptimize(best);
  }
}

// A cache hit (SQLite read + access update) vs embedding the text again.
void BM_CacheHit(benchmark::State& state) {
  Corpus& c = corpus(10'000);
  const std::vector<std::string> text{"git log --oneline -n 20 in the api repository"};
  if (!c.cache->embed(*c.embedder, text)) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(c.cache->embed(*c.embedder, text));
}

void BM_NgramEmbedBaseline(benchmark::State& state) {
  NgramEmbedder embedder;
  const std::vector<std::string> text{"git log --oneline -n 20 in the api repository"};
  for (auto _ : state) benchmark::DoNotOptimize(embedder.embed(text));
}

// The llama.cpp embedder on $CMDAI_TEST_BERT_GGUF; null (the benchmark
// skipped with the reason) when it is not set or does not load.
std::unique_ptr<Embedder> tiny_bert_or_skip(benchmark::State& state) {
  const char* model = std::getenv("CMDAI_TEST_BERT_GGUF");
  if (model == nullptr) {
    state.SkipWithError("set CMDAI_TEST_BERT_GGUF to a BERT GGUF (e.g. from make_tiny_model bert)");
    return nullptr;
  }
  LlamaEmbedderOptions options;
  options.model_path = model;
  auto embedder = make_llama_embedder(options);
  if (!embedder) {
    state.SkipWithError(embedder.error().describe().c_str());
    return nullptr;
  }
  return std::move(*embedder);
}

// Embedding one short text with the llama.cpp embedder: what a cache hit saves.
void BM_LlamaEmbedBaseline(benchmark::State& state) {
  auto embedder = tiny_bert_or_skip(state);
  if (!embedder) return;
  const std::vector<std::string> text{"git log --oneline -n 20 in the api repository"};
  for (auto _ : state) benchmark::DoNotOptimize(embedder->embed(text));
}

// Reindex of a fresh store with n entries (each text new: no cache hits).
void reindex_throughput(benchmark::State& state, Embedder& embedder, std::int64_t n) {
  static RealEnv env;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path path = fs::temp_directory_path() / ("cmdai-reindex-bench-" + std::to_string(n) + ".db");
    for (const char* suffix : {"", "-wal", "-shm", ".vectors"}) fs::remove(path.string() + suffix);
    auto store = history::HistoryStore::open(path);
    fill_store(*store, n, env.now());
    EmbeddingCache cache(store->database(), env);
    state.ResumeTiming();
    auto stats = reindex(*store, embedder, cache, env, {}, {}, std::stop_token{});
    if (!stats || stats->embedded != n) std::abort();
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_ReindexNgram(benchmark::State& state) {
  NgramEmbedder embedder;
  reindex_throughput(state, embedder, state.range(0));
}

void BM_ReindexLlamaTinyBert(benchmark::State& state) {
  auto embedder = tiny_bert_or_skip(state);
  if (!embedder) return;
  reindex_throughput(state, *embedder, state.range(0));
}

BENCHMARK(BM_HybridQuery)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_HybridWithoutVectorsBaseline)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);
BENCHMARK(BM_HybridQueryFiltered)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_HybridQueryBroadFilter)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_HybridFilteredWithoutVectors)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_HybridBroadFilterWithoutVectors)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_LexicalQueryBaseline)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);
BENCHMARK(BM_VectorSearch)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VectorScanInt8Baseline)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IndexOpenMapped)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IndexOpenFromSQLiteBaseline)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_VectorScanFloatBaseline)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CacheHit)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NgramEmbedBaseline)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LlamaEmbedBaseline)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReindexNgram)->Arg(10'000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_ReindexLlamaTinyBert)->Arg(500)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace cmdai::semantic

BENCHMARK_MAIN();
