// In-process decoding: the llama backend's decode loop against llama.cpp
// alone on the same file, thread count and context parameters, measured in
// the same process with interleaved rounds. Prints one JSON line per
// measurement; bench/llm_bench.sh takes medians and runs llama-bench next
// to it.
//
//   llm_decode_bench decode MODEL THREADS ROUNDS
//     per round {"kind":"raw"|"ours", "tok_s", "tokens", "depth", ...}:
//     raw  - what llama-bench's tg test times: one llama_decode per token
//            at the prompt's depth, no sampling;
//     ours - LlamaBackend::complete() with the answer grammar: sampling,
//            grammar, detokenization and the token callback included;
//     free - the same without the grammar (the cost split);
//     cli  - llama.cpp's own constrained generation, the loop llama-cli
//            runs: common_sampler with the same GBNF, top-k 40 and
//            temperature 0.2, at the same depth (when built with
//            llama.cpp's common library).
//   llm_decode_bench load MODEL THREADS
//     {"load_ms", "cold_ttft_ms", "warm_ttft_ms"} for a fresh process.

#if __has_include(<llama.h>)
#include <llama.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <time.h>

#include <nlohmann/json.hpp>

#include "generation/output_parser.h"
#include "generation/prompt.h"
#include "llm/command_grammar.h"
#include "llm/llama/llama_backend.h"

#ifdef CMDAI_HAVE_LLAMA_COMMON
#include <common.h>
#include <sampling.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;
using namespace cmdai;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time of this thread: with one decode thread, the work done, whatever
// else the machine runs (wall time on a shared machine is mostly the
// scheduler's).
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Tokens per second over a span, by wall clock and by this thread's CPU time.
struct Rate {
  double wall = 0;
  double cpu = 0;
};

llm::CompletionRequest answer_request() {
  llm::CompletionRequest r;
  r.messages = generation::build_messages("find all pdf files larger than 10MB in Downloads", ShellType::bash,
                                          llm::Userland::gnu, "/home/user");
  r.user_request = "find all pdf files larger than 10MB in Downloads";
  r.json_schema = std::string(generation::output_json_schema());
  r.max_tokens = 512;
  return r;
}

void silent_log(ggml_log_level, const char*, void*) {}

struct ModelFree {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
struct ContextFree {
  void operator()(llama_context* c) const { llama_free(c); }
};

// llama.cpp alone, with the context parameters the backend uses
// (llama_backend.cpp: n_ctx 2048, n_batch = n_ctx, the same threads).
class RawDecoder {
 public:
  RawDecoder(const std::string& path, int threads) {
    auto mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    m_model.reset(llama_model_load_from_file(path.c_str(), mp));
    if (!m_model) return;
    auto cp = llama_context_default_params();
    cp.n_ctx = 2048;
    cp.n_batch = cp.n_ctx;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    cp.no_perf = true;
    m_context.reset(llama_init_from_model(m_model.get(), cp));
  }
  bool ok() const { return m_context != nullptr; }

  // The prompt the backend sends, through the same chat template.
  std::vector<llama_token> prompt(const llm::CompletionRequest& r) const {
    std::vector<llama_chat_message> chat;
    for (const auto& m : r.messages) chat.push_back({m.role.c_str(), m.content.c_str()});
    const char* tmpl = llama_model_chat_template(m_model.get(), nullptr);
    std::vector<char> text(1 << 16);
    const int n = llama_chat_apply_template(tmpl ? tmpl : "chatml", chat.data(), chat.size(), true, text.data(),
                                            static_cast<int>(text.size()));
    std::vector<llama_token> tokens(static_cast<std::size_t>(std::max(n, 0)) + 16);
    const int count = llama_tokenize(llama_model_get_vocab(m_model.get()), text.data(), std::max(n, 0), tokens.data(),
                                     static_cast<int>(tokens.size()), true, true);
    tokens.resize(static_cast<std::size_t>(std::max(count, 0)));
    return tokens;
  }

  // Prefills `prompt`, then times `count` single-token decodes.
  Rate decode_rate(std::vector<llama_token> prompt, int count) {
    llama_memory_clear(llama_get_memory(m_context.get()), true);
    llama_decode(m_context.get(), llama_batch_get_one(prompt.data(), static_cast<int>(prompt.size())));
    const int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(m_model.get()));
    std::mt19937 rng(7);
    const auto start = Clock::now();
    const double cpu_start = thread_cpu_ms();
    for (int i = 0; i < count; ++i) {
      llama_token t = static_cast<llama_token>(rng() % static_cast<unsigned>(n_vocab));
      llama_decode(m_context.get(), llama_batch_get_one(&t, 1));
      llama_synchronize(m_context.get());
    }
    return {count / (ms_since(start) / 1000.0), count / ((thread_cpu_ms() - cpu_start) / 1000.0)};
  }

#ifdef CMDAI_HAVE_LLAMA_COMMON
  // llama-cli's generation loop with cmdai's grammar: prefill, then sample
  // and decode until the grammar ends the answer or `count` tokens. The
  // rate counts the tokens after the first, like ours_round().
  Rate sampled_rate(std::vector<llama_token> prompt, int count) {
    common_params_sampling params;
    params.seed = 1;
    params.top_k = 40;
    params.temp = 0.2F;
    params.samplers = {COMMON_SAMPLER_TYPE_TOP_K, COMMON_SAMPLER_TYPE_TEMPERATURE};
    params.grammar = common_grammar(COMMON_GRAMMAR_TYPE_USER, llm::command_grammar());
    common_sampler* sampler = common_sampler_init(m_model.get(), params);
    if (!sampler) return {};
    llama_memory_clear(llama_get_memory(m_context.get()), true);
    llama_decode(m_context.get(), llama_batch_get_one(prompt.data(), static_cast<int>(prompt.size())));
    const llama_vocab* vocab = llama_model_get_vocab(m_model.get());
    Clock::time_point start;
    double cpu_start = 0;
    int after_first = 0;
    for (int i = 0; i < count; ++i) {
      llama_token t = common_sampler_sample(sampler, m_context.get(), -1);
      common_sampler_accept(sampler, t, true);
      if (llama_vocab_is_eog(vocab, t)) break;
      if (i == 0) {
        start = Clock::now();
        cpu_start = thread_cpu_ms();
      } else {
        ++after_first;
      }
      llama_decode(m_context.get(), llama_batch_get_one(&t, 1));
    }
    const Rate rate{after_first / (ms_since(start) / 1000.0), after_first / ((thread_cpu_ms() - cpu_start) / 1000.0)};
    common_sampler_free(sampler);
    return rate;
  }
#endif

 private:
  std::unique_ptr<llama_model, ModelFree> m_model;
  std::unique_ptr<llama_context, ContextFree> m_context;
};

struct OursRound {
  Rate rate;
  double ttft_ms = 0;
  std::size_t tokens = 0;
};

// One complete() call; the rate counts the tokens after the first over the
// time after the first (the first token's time is the TTFT).
// free: no grammar (json_schema empty), max_tokens capped: the sampling
// chain without constraints, for the cost split.
OursRound ours_round(llm::Backend& backend, int free_tokens = 0) {
  auto request = answer_request();
  if (free_tokens > 0) {
    request.json_schema.clear();
    request.max_tokens = free_tokens;
  }
  Clock::time_point first_wall;
  double first_cpu = 0;
  auto completion = backend.complete(request,
                                     [&](std::string_view) {
                                       if (first_cpu == 0) {
                                         first_cpu = thread_cpu_ms();
                                         first_wall = Clock::now();
                                       }
                                     },
                                     {});
  const double cpu_after = thread_cpu_ms();
  if (!completion || completion->tokens_generated < 2) return {};
  OursRound r;
  r.tokens = completion->tokens_generated;
  r.ttft_ms = static_cast<double>(completion->time_to_first_token.count()) / 1000.0;
  const auto after_first = static_cast<double>(r.tokens - 1);
  r.rate = {after_first / (ms_since(first_wall) / 1000.0), after_first / ((cpu_after - first_cpu) / 1000.0)};
  return r;
}

void print_round(const char* kind, int round, Rate rate, nlohmann::json extra) {
  extra["kind"] = kind;
  extra["round"] = round;
  extra["tok_s"] = rate.wall;
  extra["cpu_tok_s"] = rate.cpu;
  std::cout << extra.dump() << std::endl;
}

int run_decode(const std::string& path, int threads, int rounds) {
  llm::LlamaOptions options;
  options.model_path = path;
  options.threads = threads;
  auto backend = llm::make_llama_backend(options);
  RawDecoder raw(path, threads);
  if (!backend || !raw.ok()) {
    std::cerr << "llm_decode_bench: cannot load " << path << "\n";
    return 1;
  }
  const auto prompt = raw.prompt(answer_request());
  const auto warm = ours_round(**backend);  // warm-up: page cache, allocations, both paths
  raw.decode_rate(prompt, static_cast<int>(warm.tokens));
  for (int round = 0; round < rounds; ++round) {
    // Alternate which goes first so drift in machine load hits both alike.
    OursRound ours;
    if (round % 2 == 0) ours = ours_round(**backend);
    // The backend's seed is fixed, so every round generates warm.tokens.
    const Rate raw_rate = raw.decode_rate(prompt, static_cast<int>(warm.tokens) - 1);
    if (round % 2 == 1) ours = ours_round(**backend);
    const auto free = ours_round(**backend, static_cast<int>(warm.tokens));
    print_round("ours", round, ours.rate, {{"ttft_ms", ours.ttft_ms}, {"tokens", ours.tokens}});
    print_round("raw", round, raw_rate, {{"tokens", warm.tokens - 1}, {"depth", prompt.size()}});
    print_round("free", round, free.rate, {{"tokens", free.tokens}});
#ifdef CMDAI_HAVE_LLAMA_COMMON
    print_round("cli", round, raw.sampled_rate(prompt, 2 * static_cast<int>(llm::k_max_field) + 64), {});
#endif
  }
  return 0;
}

int run_load(const std::string& path, int threads) {
  llm::LlamaOptions options;
  options.model_path = path;
  options.threads = threads;
  auto backend = llm::make_llama_backend(options);
  if (!backend) return 1;
  auto request = answer_request();
  double load_ms = 0;
  const auto start = Clock::now();
  request.on_progress = [&](double fraction, std::string_view) {
    if (fraction >= 1.0 && load_ms == 0) load_ms = ms_since(start);
  };
  auto cold = (*backend)->complete(request, {}, {});
  auto warm = (*backend)->complete(answer_request(), {}, {});
  if (!cold || !warm) return 1;
  std::cout << nlohmann::json{{"load_ms", load_ms},
                              {"cold_ttft_ms", static_cast<double>(cold->time_to_first_token.count()) / 1000.0},
                              {"warm_ttft_ms", static_cast<double>(warm->time_to_first_token.count()) / 1000.0}}
                   .dump()
            << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  llama_log_set(silent_log, nullptr);
  llama_backend_init();
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "decode" && argc == 5) return run_decode(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
  if (mode == "load" && argc == 4) return run_load(argv[2], std::atoi(argv[3]));
  std::cerr << "usage: llm_decode_bench decode MODEL THREADS ROUNDS | load MODEL THREADS\n";
  return 2;
}

#else
#include <iostream>
int main() {
  std::cerr << "llm_decode_bench: this build has no llama.cpp\n";
  return 1;
}
#endif
