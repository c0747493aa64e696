// History benchmarks: write latency with 1M entries stored, search latency
// with and without filters at 10k/100k/1M, the same FTS5 query run bare
// through SQLite as the baseline, database size per entry, and importing a
// 100k-line zsh history. Databases are generated once into a cache
// directory (default /tmp/cmdai-history-bench) and reused.
//
//   history_bench [--cache DIR] [--sizes 10000,100000,1000000] [--budget SECONDS]
//                 [--only search|writes|import]
//
// Prints "RESULT <name> <value>" lines (bench/history_bench.sh reads them).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "history/import.h"
#include "history/search.h"
#include "history/shell_history.h"
#include "history_corpus.h"

namespace cmdai::bench {
namespace {

using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

const std::vector<std::string> k_queries{"nginx", "docker logs", "kubectl apply", "git", "systemclt restart",
                                         "rsync", "tail log"};

struct Options {
  fs::path cache = "/tmp/cmdai-history-bench";
  std::vector<std::int64_t> sizes{10'000, 100'000, 1'000'000};
  double budget = 1.0;  // seconds per query and mode
  std::string only;     // "search", "writes" or "import"; empty: all three
};

double micros_since(Steady::time_point start) {
  return std::chrono::duration<double, std::micro>(Steady::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

void result(const std::string& name, double value) { std::printf("RESULT %s %.3f\n", name.c_str(), value); }

history::HistoryOptions bench_options() {
  history::HistoryOptions options;
  options.retention.max_entries.reset();
  options.auto_cleanup = history::AutoCleanup::off;
  return options;
}

history::HistoryStore open_or_die(const fs::path& path, history::HistoryOptions options = bench_options()) {
  auto store = history::HistoryStore::open(path, std::move(options));
  if (!store) {
    std::cerr << "cannot open " << path << ": " << store.error().describe() << "\n";
    std::exit(1);
  }
  return std::move(*store);
}

fs::path database_for(const Options& options, std::int64_t size) {
  return options.cache / ("history-" + std::to_string(size) + ".db");
}

void generate(const fs::path& path, std::int64_t size) {
  const fs::path partial = path.string() + ".partial";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(partial.string() + suffix);
  const auto start = Steady::now();
  {
    auto store = open_or_die(partial);
    Corpus corpus;
    constexpr std::int64_t k_batch = 5000;
    for (std::int64_t first = 0; first < size; first += k_batch) {
      std::vector<history::HistoryRecord> batch;
      for (std::int64_t i = first; i < std::min(size, first + k_batch); ++i) batch.push_back(corpus.record(i, size));
      if (!store.store_batch(batch)) std::exit(1);
    }
    if (store.count().value_or(0) != size) {
      std::cerr << "generated " << store.count().value_or(0) << " entries instead of " << size << "\n";
      std::exit(1);
    }
  }
  fs::rename(partial, path);
  std::fprintf(stderr, "generated %lld entries in %.1f s\n", static_cast<long long>(size), micros_since(start) / 1e6);
}

double cpu_micros() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

// CPU time of the samples taken by sample(): on a loaded machine it shows
// what a query costs, while the wall-clock samples show what it waited.
std::vector<double> g_cpu_samples;

// Runs fn repeatedly within the budget (at least 5, at most 200 times).
template <typename Fn>
std::vector<double> sample(double budget, Fn&& fn) {
  std::vector<double> samples;
  g_cpu_samples.clear();
  const auto begin = Steady::now();
  fn();  // warm the page cache and statement paths
  while (samples.size() < 200 && (samples.size() < 5 || micros_since(begin) < budget * 1e6)) {
    const double cpu = cpu_micros();
    const auto start = Steady::now();
    fn();
    samples.push_back(micros_since(start));
    g_cpu_samples.push_back(cpu_micros() - cpu);
  }
  return samples;
}

// The three filters of the filtered runs; without_since leaves out the one
// that bounds the text walk (command_history_days), the slower case.
history::SearchFilters bench_filters(Corpus& corpus, bool with_since = true) {
  history::FilterArgs args;
  if (with_since) args.since = "180d";
  args.cwd = corpus.directory(0);
  args.exit = "ok";
  return history::parse_filters(args, from_unix_seconds(Corpus::k_end)).value();
}

// The bare FTS5 query: what `sqlite3 history.db` runs for the same words.
void bare_fts(history::HistoryStore& store, const std::string& text) {
  auto statement = store.database().prepare(
      "SELECT h.id, h.command FROM command_history_fts JOIN command_history h ON h.rowid = command_history_fts.rowid "
      "WHERE command_history_fts MATCH ?1 ORDER BY bm25(command_history_fts) LIMIT 10");
  statement->bind(1, history::to_fts_query(text));
  while (statement->step().value_or(false)) {
  }
}

void bench_search(const Options& options, std::int64_t size) {
  auto store = open_or_die(database_for(options, size));
  Corpus corpus;
  const std::string tag = std::to_string(size);
  std::vector<double> plain, filtered, bare, ratios, plain_cpu, filtered_cpu_all, unbounded, unbounded_cpu;
  for (const auto& text : k_queries) {
    history::SearchQuery query(text, 10);
    query.now = from_unix_seconds(Corpus::k_end);
    query.current_directory = corpus.directory(0);
    std::size_t hits = 0;
    auto mine = sample(options.budget, [&] { hits = history::search(store, query).value().size(); });
    const double mine_cpu = percentile(g_cpu_samples, 50);
    plain_cpu.insert(plain_cpu.end(), g_cpu_samples.begin(), g_cpu_samples.end());
    query.filters = bench_filters(corpus);
    std::size_t filtered_hits = 0;
    auto with_filters = sample(options.budget, [&] { filtered_hits = history::search(store, query).value().size(); });
    const double filtered_cpu = percentile(g_cpu_samples, 50);
    filtered_cpu_all.insert(filtered_cpu_all.end(), g_cpu_samples.begin(), g_cpu_samples.end());
    query.filters = bench_filters(corpus, false);
    auto no_since = sample(options.budget, [&] { (void)history::search(store, query).value(); });
    unbounded.insert(unbounded.end(), no_since.begin(), no_since.end());
    unbounded_cpu.insert(unbounded_cpu.end(), g_cpu_samples.begin(), g_cpu_samples.end());
    auto baseline = sample(options.budget, [&] { bare_fts(store, text); });
    std::fprintf(stderr,
                 "  %7s %-18s p50 %8.0f us (cpu %6.0f, %zu hits)  filtered %8.0f us (cpu %6.0f, %zu hits)  "
                 "without --since %8.0f us  bare FTS5 %8.0f us\n",
                 tag.c_str(), text.c_str(), percentile(mine, 50), mine_cpu, hits, percentile(with_filters, 50),
                 filtered_cpu, filtered_hits, percentile(no_since, 50), percentile(baseline, 50));
    ratios.push_back(percentile(mine, 50) / std::max(1.0, percentile(baseline, 50)));
    plain.insert(plain.end(), mine.begin(), mine.end());
    filtered.insert(filtered.end(), with_filters.begin(), with_filters.end());
    bare.insert(bare.end(), baseline.begin(), baseline.end());
  }
  result("search_p50_us_" + tag, percentile(plain, 50));
  result("search_p99_us_" + tag, percentile(plain, 99));
  result("search_filtered_p50_us_" + tag, percentile(filtered, 50));
  result("search_filtered_p99_us_" + tag, percentile(filtered, 99));
  result("search_cpu_p50_us_" + tag, percentile(plain_cpu, 50));
  result("search_cpu_p99_us_" + tag, percentile(plain_cpu, 99));
  result("search_filtered_cpu_p50_us_" + tag, percentile(filtered_cpu_all, 50));
  result("search_filtered_cpu_p99_us_" + tag, percentile(filtered_cpu_all, 99));
  result("search_filtered_no_since_p50_us_" + tag, percentile(unbounded, 50));
  result("search_filtered_no_since_p99_us_" + tag, percentile(unbounded, 99));
  result("search_filtered_no_since_cpu_p99_us_" + tag, percentile(unbounded_cpu, 99));
  result("bare_fts5_p50_us_" + tag, percentile(bare, 50));
  // Per query (ours p50 / bare p50), then the median over the queries.
  result("ratio_search_vs_bare_fts5_median_" + tag, percentile(ratios, 50));
  std::error_code ec;
  const auto path = database_for(options, size);
  const double bytes =
      static_cast<double>(fs::file_size(path, ec)) +
      static_cast<double>(fs::exists(path.string() + "-wal") ? fs::file_size(path.string() + "-wal", ec) : 0);
  result("bytes_per_entry_" + tag, bytes / static_cast<double>(store.count().value()));
  const fs::path text = options.cache / ("history-" + tag + ".txt");
  if (!fs::exists(text)) {
    std::ofstream out(text, std::ios::binary);
    // A cache of the corpus's text: a failed export only makes the next run redo it.
    (void)history::export_history(store, history::ImportFormat::bash, out);
  }
}

void bench_writes(const Options& options, std::int64_t size) {
  // The real write path: redaction on, the automatic retention check after
  // every write, with a limit the cache never reaches (a configured limit
  // below the cached sizes would prune them).
  auto write_options = bench_options();
  write_options.auto_cleanup = history::AutoCleanup::on;
  write_options.retention.max_entries = 10 * size;
  auto store = history::HistoryStore::open(database_for(options, size), write_options);
  if (!store) std::exit(1);
  Corpus corpus(7);
  std::vector<double> latencies, checkpoints;
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) {
    auto record = corpus.record(size + i, size);
    record.entry.timestamp = from_unix_seconds(Corpus::k_end + i);
    const auto start = Steady::now();
    if (auto stored = store->insert(record.entry); !stored) {
      std::cerr << "insert failed: " << stored.error().describe() << "\n";
      std::exit(1);
    }
    latencies.push_back(micros_since(start));
    ids.push_back(record.entry.id);
    // What a cmdai process does once the result is shown (or at exit):
    // timed on its own, as nobody waits for it.
    const int frames = store->database().wal_frames();
    const auto upkeep = Steady::now();
    // Timed, not checked: a checkpoint that cannot run now is caught up later.
    (void)store->database().checkpoint_if_due();
    if (frames >= store::k_checkpoint_frames) checkpoints.push_back(micros_since(upkeep));
  }
  result("write_p50_us_" + std::to_string(size), percentile(latencies, 50));
  result("write_p99_us_" + std::to_string(size), percentile(latencies, 99));
  result("write_p999_us_" + std::to_string(size), percentile(latencies, 99.9));
  result("write_max_us_" + std::to_string(size), percentile(latencies, 100));
  // The checkpoints after the writes: how often one was due and what it cost.
  result("checkpoints_per_1000_writes", static_cast<double>(checkpoints.size()) / 5.0);
  result("checkpoint_p50_us", percentile(checkpoints, 50));
  result("checkpoint_max_us", percentile(checkpoints, 100));
  // The machine's noise floor in the same run: a CPU-only task of about the
  // median write's length, timed the same way. On a loaded machine its p99
  // shows how much of the write tail is the scheduler, not SQLite.
  const double target = percentile(latencies, 50);
  std::vector<double> spins;
  volatile std::uint64_t sink = 0;
  for (int i = 0; i < 5000; ++i) {
    const auto start = Steady::now();
    while (micros_since(start) < target) sink = sink + 1;
    spins.push_back(micros_since(start));
  }
  result("cpu_spin_p99_us_same_length", percentile(spins, 99));
  result("cpu_spin_p999_us_same_length", percentile(spins, 99.9));
  // Leave the cached database as it was (best effort: a leftover entry only
  // makes the next run's corpus one entry longer).
  auto transaction = store::Transaction::begin(store->database());
  for (const auto& id : ids) (void)store->remove(id);
  (void)transaction->commit();
}

// What a cmdai process does: open, write one entry, close (the upkeep of
// store/database.h runs at close). The write is timed as above; opening and
// closing are reported on their own.
void bench_process_writes(const Options& options, std::int64_t size) {
  auto write_options = bench_options();
  write_options.auto_cleanup = history::AutoCleanup::on;
  write_options.retention.max_entries = 10 * size;
  Corpus corpus(13);
  std::vector<double> opens, writes, closes;
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    auto record = corpus.record(size + i, size);
    record.entry.timestamp = from_unix_seconds(Corpus::k_end + i);
    const auto opened = Steady::now();
    std::optional<history::HistoryStore> store(open_or_die(database_for(options, size), write_options));
    opens.push_back(micros_since(opened));
    const auto start = Steady::now();
    if (!store->insert(record.entry)) std::exit(1);
    writes.push_back(micros_since(start));
    const auto closing = Steady::now();
    store.reset();
    closes.push_back(micros_since(closing));
    ids.push_back(record.entry.id);
  }
  const std::string tag = std::to_string(size);
  result("process_write_p50_us_" + tag, percentile(writes, 50));
  result("process_write_p99_us_" + tag, percentile(writes, 99));
  result("process_open_p50_us_" + tag, percentile(opens, 50));
  result("process_close_p50_us_" + tag, percentile(closes, 50));
  result("process_close_p99_us_" + tag, percentile(closes, 99));
  auto store = open_or_die(database_for(options, size));
  // Best effort, as above: the cached database back as it was.
  auto transaction = store::Transaction::begin(store.database());
  for (const auto& id : ids) (void)store.remove(id);
  (void)transaction->commit();
}

void bench_import(const Options& options) {
  const fs::path file = options.cache / "zsh_history_100k";
  if (!fs::exists(file)) {
    Corpus corpus(11);
    std::ofstream out(file, std::ios::binary);
    for (int i = 0; i < 100'000; ++i) {
      out << history::zsh_history_line(corpus.command(), from_unix_seconds(1'700'000'000 + i * 30));
    }
  }
  const fs::path db = options.cache / "import-scratch.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  auto store = open_or_die(db);
  const auto start = Steady::now();
  auto report = history::import_history(store, history::ImportFormat::zsh, file);
  const double seconds = micros_since(start) / 1e6;
  if (!report) std::exit(1);
  result("import_zsh_100k_seconds", seconds);
  result("import_zsh_100k_imported", static_cast<double>(report->imported));
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--cache") options.cache = argv[i + 1];
    if (flag == "--budget") options.budget = std::atof(argv[i + 1]);
    if (flag == "--only") options.only = argv[i + 1];
    if (flag == "--sizes") {
      options.sizes.clear();
      std::string list = argv[i + 1];
      for (std::size_t p = 0; p < list.size();) {
        const std::size_t comma = std::min(list.find(',', p), list.size());
        options.sizes.push_back(std::atoll(list.substr(p, comma - p).c_str()));
        p = comma + 1;
      }
    }
  }
  return options;
}

}  // namespace
}  // namespace cmdai::bench

int main(int argc, char** argv) {
  using namespace cmdai::bench;
  const Options options = parse(argc, argv);
  std::filesystem::create_directories(options.cache);
  for (std::int64_t size : options.sizes) {
    if (!std::filesystem::exists(database_for(options, size))) generate(database_for(options, size), size);
  }
  auto wanted = [&](std::string_view part) { return options.only.empty() || options.only == part; };
  if (wanted("search")) {
    for (std::int64_t size : options.sizes) bench_search(options, size);
  }
  if (wanted("writes")) {
    bench_writes(options, options.sizes.back());
    bench_process_writes(options, options.sizes.back());
  }
  if (wanted("import")) bench_import(options);
  return 0;
}
