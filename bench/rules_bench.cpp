// Offline rules backend: time per request over bench/eval's sets (p50,
// p99, max) and the memory the loaded template library takes.
//
// Memory is reported twice: the RSS growth when the library is first built
// (measured before any benchmark runs) and an estimate computed from the
// structures (Library::memory_bytes).
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "rules/slots.h"
#include "rules/templates.h"
#include "rules/vocabulary.h"

namespace {

using cmdai::Userland;
namespace rules = cmdai::rules;

// The requests of the development sets (bench/eval): written by people who
// never saw the rules, so their words are what users type. The frozen set
// (eval.tsv) is left to the scorer: nothing used while tuning reads it. The
// request column is found by the header.
std::vector<std::string> load_requests() {
  std::vector<std::string> requests;
  for (const char* name : {"dev.tsv", "dev2.tsv", "dev3.tsv", "dev4.tsv"}) {
    std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/bench/eval/" + name);
    std::string line;
    std::size_t column = 0;
    for (bool header = true; std::getline(in, line); header = false) {
      std::vector<std::string> fields;
      for (std::size_t start = 0;;) {
        const auto tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
      }
      if (header) {
        column = static_cast<std::size_t>(std::find(fields.begin(), fields.end(), "request") - fields.begin());
      } else if (column < fields.size()) {
        requests.push_back(fields[column]);
      }
    }
  }
  return requests;
}

const std::vector<std::string>& requests() {
  static const std::vector<std::string> all = load_requests();
  return all;
}

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0;
  long resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Times each request once per pass; reports percentiles over all passes.
template <typename Work>
void time_per_request(benchmark::State& state, Work work) {
  std::vector<double> micros;
  for (auto _ : state) {
    for (const auto& r : requests()) {
      const auto start = std::chrono::steady_clock::now();
      work(r);
      const auto end = std::chrono::steady_clock::now();
      micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[static_cast<std::size_t>(q * static_cast<double>(micros.size() - 1))]; };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = micros.back();
  state.counters["requests"] = static_cast<double>(requests().size());
}

// Baseline: slot extraction alone (tokenising, normalising, slots).
void BM_ExtractSlots(benchmark::State& state) {
  time_per_request(state, [](const std::string& r) { benchmark::DoNotOptimize(rules::extract_slots(r)); });
}
BENCHMARK(BM_ExtractSlots)->Unit(benchmark::kMicrosecond);

void BM_MatchRequestGnu(benchmark::State& state) {
  time_per_request(state,
                   [](const std::string& r) { benchmark::DoNotOptimize(rules::match_request(r, Userland::gnu)); });
}
BENCHMARK(BM_MatchRequestGnu)->Unit(benchmark::kMicrosecond);

void BM_MatchRequestBsd(benchmark::State& state) {
  time_per_request(state,
                   [](const std::string& r) { benchmark::DoNotOptimize(rules::match_request(r, Userland::bsd)); });
}
BENCHMARK(BM_MatchRequestBsd)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  const long before = resident_kib();
  const auto& library = rules::template_library();
  // The word sets built on first use belong to the loaded library too.
  benchmark::DoNotOptimize(rules::is_template_word("find"));
  benchmark::DoNotOptimize(rules::is_meaning_word("find"));
  benchmark::DoNotOptimize(rules::is_intent_word("find"));
  const long after = resident_kib();
  std::printf("templates: %zu\nlibrary memory (structures): %zu bytes\nlibrary RSS growth on load: %ld KiB\n",
              library.templates.size(), library.memory_bytes(), after - before);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
