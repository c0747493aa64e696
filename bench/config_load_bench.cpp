// What loading the configuration adds to every cmdai run: a typical file
// parsed, validated and layered, against reading the same file (the
// baseline, measured in the same run). Also the editor's per-keystroke model
// work: validating one typed endpoint.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config_watcher.h"
#include "config/configuration.h"
#include "config/key_table.h"
#include "tui/editor_model.h"

namespace {

const std::filesystem::path& config_file() {
  static const std::filesystem::path path = [] {
    auto p = std::filesystem::temp_directory_path() / ("cmdai-bench-config-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(p) << "[backend]\npreferred = \"work\"\nfallback_chain = [\"work\", \"ollama\", \"rules\"]\n"
                        "[backend.instances.work]\ntype = \"openai\"\nendpoint = \"https://llm.example.com/v1\"\n"
                        "api_key_env = \"WORK_KEY\"\ntimeout_ms = 20000\n"
                        "[backend.instances.ollama]\nendpoint = \"http://127.0.0.1:11434\"\nmodel = \"qwen\"\n"
                        "[history]\nmax_entries = 50000\nmax_age_days = 90\n"
                        "[safety]\nlevel = \"strict\"\ncustom_patterns = ['curl .*\\| *sh', 'dd if=.* of=/dev/']\n";
    return p;
  }();
  return path;
}

void BM_ReadFileBaseline(benchmark::State& state) {
  cmdai::RealEnv env;
  for (auto _ : state) benchmark::DoNotOptimize(env.read_file(config_file()));
}
BENCHMARK(BM_ReadFileBaseline);

void BM_LoadConfiguration(benchmark::State& state) {
  cmdai::RealEnv env;
  for (auto _ : state) benchmark::DoNotOptimize(cmdai::config::load_configuration(env, config_file()));
}
BENCHMARK(BM_LoadConfiguration);

// What following the file costs each request when nothing changed: one
// read and a compare.
void BM_WatcherPollUnchanged(benchmark::State& state) {
  cmdai::RealEnv env;
  cmdai::config::ConfigWatcher watcher(env, config_file());
  for (auto _ : state) benchmark::DoNotOptimize(watcher.poll());
}
BENCHMARK(BM_WatcherPollUnchanged);

// Another process saved: the write (its baseline below), then reload, diff
// and publish to one subscriber.
const std::filesystem::path& second_file() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("cmdai-bench-watch-" + std::to_string(::getpid()) + ".toml");
  return path;
}

void write_level(bool strict) {
  std::ofstream(second_file()) << "[safety]\nlevel = \"" << (strict ? "strict" : "permissive") << "\"\n";
}

void BM_WriteFileBaseline(benchmark::State& state) {
  bool flip = false;
  for (auto _ : state) write_level(flip = !flip);
}
BENCHMARK(BM_WriteFileBaseline);

void BM_WatcherPollAfterChange(benchmark::State& state) {
  cmdai::RealEnv env;
  write_level(false);
  cmdai::config::ConfigWatcher watcher(env, second_file());
  std::size_t heard = 0;
  auto subscription = watcher.live().subscribe([&](const cmdai::config::ConfigChange&) { ++heard; });
  bool flip = false;
  for (auto _ : state) {
    write_level(flip = !flip);
    benchmark::DoNotOptimize(watcher.poll());
  }
  if (heard != static_cast<std::size_t>(state.iterations())) state.SkipWithError("a change was not published");
}
BENCHMARK(BM_WatcherPollAfterChange);

void BM_EditorKeystrokeModel(benchmark::State& state) {
  cmdai::tui::EditorModel model(cmdai::config::ConfigurationState{}, {}, nullptr);
  model.focus_row(4);  // the endpoint row
  bool flip = false;
  for (auto _ : state) {
    model.set_text(flip ? "http://127.0.0.1:11434" : "http://127.0.0.1:1143");
    benchmark::DoNotOptimize(model.dirty());
    flip = !flip;
  }
}
BENCHMARK(BM_EditorKeystrokeModel);

}  // namespace

BENCHMARK_MAIN();
