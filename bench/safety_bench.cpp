// Validation latency: p50/p99 per command over the labelled corpus and for a
// 4 KB command, next to parsing alone (the baseline measured in the same
// run), plus Google Benchmark timings of the same cases.
//
//   cmake --preset release && cmake --build build/release --target safety_bench
//   ./build/release/bench/safety_bench

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <time.h>

#include "safety/validator.h"
#include "shell/parser.h"

namespace {

using cmdai::safety::ValidationContext;
using cmdai::safety::Validator;

ValidationContext project() {
  ValidationContext context;
  context.working_directory = "/home/u/project";
  context.home_directory = "/home/u";
  return context;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char e = s[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> corpus_commands() {
  std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/tests/safety/corpus/corpus.tsv");
  std::vector<std::string> commands;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) commands.push_back(unescape(line.substr(0, line.find('\t'))));
  return commands;
}

std::string command_4k() {
  std::string text;
  const char* const parts[] = {"find . -name '*.log' -mtime +7 -print0 | xargs -0 gzip -9",
                               "grep -rn \"TODO\" src/ | sort | uniq -c", "echo \"$(date) done\" >> build/log.txt",
                               "git -C repo log --oneline -5", "tar -czf out.tgz \"$DIR\"/data"};
  for (int i = 0; text.size() < 4096; ++i) text += std::string(text.empty() ? "" : " && ") + parts[i % 5];
  return text.substr(0, text.rfind(" && "));
}

// CPU time of this thread: on a loaded machine, wall-clock percentiles
// mostly measure preemption.
double thread_cpu_micros() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

struct Samples {
  std::vector<double> wall, cpu;
};

template <typename F>
Samples time_each(const std::vector<std::string>& commands, int rounds, F&& f) {
  Samples s;
  for (int r = 0; r < rounds; ++r) {
    for (const auto& c : commands) {
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = thread_cpu_micros();
      f(c);
      s.cpu.push_back(thread_cpu_micros() - cpu_start);
      s.wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
  }
  std::sort(s.wall.begin(), s.wall.end());
  std::sort(s.cpu.begin(), s.cpu.end());
  return s;
}

double percentile(const std::vector<double>& sorted, double p) {
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
}

void report(const char* name, const std::vector<std::string>& commands, int rounds) {
  const Validator validator;
  const auto context = project();
  const auto parse =
      time_each(commands, rounds, [](const std::string& c) { benchmark::DoNotOptimize(cmdai::shell::parse(c)); });
  const auto validate = time_each(
      commands, rounds, [&](const std::string& c) { benchmark::DoNotOptimize(validator.validate(c, context)); });
  const std::tuple<const char*, const std::vector<double>*, const std::vector<double>*> clocks[] = {
      {"wall", &parse.wall, &validate.wall}, {"cpu ", &parse.cpu, &validate.cpu}};
  for (const auto& [clock, p, v] : clocks) {
    std::printf(
        "%-13s %s n=%-6zu parse p50 %7.2f us p99 %8.2f us | validate p50 %7.2f us p99 %8.2f us max %8.1f us"
        " | validate/parse p50 %.1fx\n",
        name, clock, v->size(), percentile(*p, 0.5), percentile(*p, 0.99), percentile(*v, 0.5), percentile(*v, 0.99),
        v->back(), percentile(*v, 0.5) / percentile(*p, 0.5));
  }
}

void BM_ValidateTypical(benchmark::State& state) {
  const Validator validator;
  const auto context = project();
  for (auto _ : state)
    benchmark::DoNotOptimize(validator.validate("sudo find . -name '*.o' -exec rm -f {} +", context));
}
BENCHMARK(BM_ValidateTypical);

void BM_Validate4K(benchmark::State& state) {
  const Validator validator;
  const auto context = project();
  const std::string text = command_4k();
  for (auto _ : state) benchmark::DoNotOptimize(validator.validate(text, context));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Validate4K);

void BM_Parse4K(benchmark::State& state) {
  const std::string text = command_4k();
  for (auto _ : state) benchmark::DoNotOptimize(cmdai::shell::parse(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Parse4K);

// One request's validation of a risky command, with the user's habits.
// Before: validate, parse again for the programs habits look up, validate
// again with the habits. Now: validate once; the programs come from that
// walk and the habits are applied to its result.
const char* const k_risky_request = "sudo find / -name '*.bak' -exec rm -rf {} + && shred -u ~/.ssh/id_rsa";

void BM_RiskyRequestParsedThrice(benchmark::State& state) {
  const Validator validator;
  for (auto _ : state) {
    auto first = validator.validate(k_risky_request, project());
    benchmark::DoNotOptimize(cmdai::shell::parse(k_risky_request));
    auto context = project();
    context.habits = cmdai::safety::HabitHints{first.programs, {}, {}};
    benchmark::DoNotOptimize(validator.validate(k_risky_request, context));
  }
}
BENCHMARK(BM_RiskyRequestParsedThrice);

void BM_RiskyRequestParsedOnce(benchmark::State& state) {
  const Validator validator;
  for (auto _ : state) {
    auto result = validator.validate(k_risky_request, project());
    cmdai::safety::apply_habits(cmdai::safety::HabitHints{result.programs, {}, {}}, result);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_RiskyRequestParsedOnce);

}  // namespace

int main(int argc, char** argv) {
  const auto commands = corpus_commands();
  if (commands.empty()) {
    std::fprintf(stderr, "safety_bench: corpus not found under %s\n", CMDAI_SOURCE_DIR);
    return 1;
  }
  report("corpus", commands, 3);
  report("4 KB command", std::vector<std::string>(200, command_4k()), 1);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
