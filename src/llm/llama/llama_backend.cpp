#include "llm/llama/llama_backend.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <llama.h>

#include "core/log.h"
#include "llm/command_grammar.h"
#include "llm/llama/token_candidates.h"

namespace cmdai::llm {
namespace {

using Clock = std::chrono::steady_clock;

struct ModelDeleter {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
struct ContextDeleter {
  void operator()(llama_context* c) const { llama_free(c); }
};
struct SamplerDeleter {
  void operator()(llama_sampler* s) const { llama_sampler_free(s); }
};
using ModelPtr = std::unique_ptr<llama_model, ModelDeleter>;
using ContextPtr = std::unique_ptr<llama_context, ContextDeleter>;
using SamplerPtr = std::unique_ptr<llama_sampler, SamplerDeleter>;

// llama.cpp logs go to cmdai's log file, never to the terminal.
void log_to_file(ggml_log_level level, const char* text, void*) {
  if (level == GGML_LOG_LEVEL_ERROR) {
    log::error(std::string("llama.cpp: ") + text);
  } else if (level == GGML_LOG_LEVEL_WARN) {
    log::debug(std::string("llama.cpp: ") + text);
  }
}

void init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    llama_log_set(log_to_file, nullptr);
    llama_backend_init();
  });
}

// A model being loaded or loaded, by path. The load runs on a thread of its
// own so that a waiting request can be cancelled at once (llama.cpp cannot
// interrupt its vocabulary load); the load itself completes, and later
// requests find the model ready.
struct ModelSlot {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  Result<std::shared_ptr<llama_model>> result = fail(ErrorCode::internal, "not loaded");
  std::atomic<float> fraction{0};
  std::jthread loader;
};

// Every slot of this process. Deliberately never destroyed: models stay
// loaded for the life of the process, and exit must not wait for a load
// still running after Ctrl-C (the loader thread ends with the process).
struct ModelRegistry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<ModelSlot>> slots;
};
ModelRegistry& registry() {
  static auto* r = new ModelRegistry;
  return *r;
}

bool on_load_progress(float fraction, void* user) {
  static_cast<ModelSlot*>(user)->fraction = fraction;
  return true;
}

void load_into(ModelSlot& slot, const std::string& path) {
  auto params = llama_model_default_params();
  params.load_mode = LLAMA_LOAD_MODE_MMAP;
  params.n_gpu_layers = 0;
  params.progress_callback = on_load_progress;
  params.progress_callback_user_data = &slot;
  llama_model* raw = llama_model_load_from_file(path.c_str(), params);
  std::lock_guard lock(slot.mutex);
  if (raw) {
    slot.result = std::shared_ptr<llama_model>(raw, ModelDeleter{});
  } else {
    slot.result = fail(ErrorCode::unavailable, "cannot load the model " + path,
                       "is it a GGUF file for a model llama.cpp supports? see the log for details");
  }
  slot.done = true;
  slot.cv.notify_all();
}

std::shared_ptr<ModelSlot> slot_for(const std::string& path) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto& slot = r.slots[path];
  bool failed = false;
  if (slot) {
    std::lock_guard slot_lock(slot->mutex);
    failed = slot->done && !slot->result;
  }
  if (!slot || failed) {  // first use, or a failed load to try again
    slot = std::make_shared<ModelSlot>();
    slot->loader = std::jthread([s = slot.get(), path] { load_into(*s, path); });
  }
  return slot;
}

// Waits for the model, reporting load progress; returns at once on stop.
Result<std::shared_ptr<llama_model>> load_model(const std::string& path, const CompletionRequest& request,
                                                std::stop_token stop) {
  auto slot = slot_for(path);
  std::unique_lock lock(slot->mutex);
  float reported = -1;
  while (!slot->done) {
    if (stop.stop_requested()) return fail(ErrorCode::cancelled, "model loading was cancelled");
    if (const float f = slot->fraction; f != reported && request.on_progress) {
      reported = f;
      lock.unlock();
      request.on_progress(f, "loading model");
      lock.lock();
      continue;
    }
    slot->cv.wait_for(lock, std::chrono::milliseconds{10});
  }
  if (reported >= 0 && request.on_progress) request.on_progress(1.0, "model loaded");
  return slot->result;
}

// One thread per physical core; on machines with two or fewer, one: there
// ggml's worker threads, which spin while they wait for the next operation,
// fight any other work for the cores, and decoding collapsed ~100x in
// measurements.
int default_thread_count() {
  const int cores = physical_core_count();
  return cores <= 2 ? 1 : cores;
}

// Candidates the grammar sees first, and the draw's top-k.
constexpr std::size_t k_top_k = 40;
// How far down the model's ranking a constrained step looks for allowed
// tokens before asking the token index (a pass over 256 logits' blocks
// costs about 13 us; the index, inside a string, a pass over 100k tokens).
constexpr std::size_t k_wide = 256;
constexpr std::size_t k_few_allowed = 4096;

bool abort_requested(void* flag) { return static_cast<std::atomic<bool>*>(flag)->load(); }

class LlamaBackend final : public Backend {
 public:
  explicit LlamaBackend(LlamaOptions options) : m_options(std::move(options)) {}

  BackendType type() const override { return BackendType::llama; }
  std::string name() const override { return m_options.name; }
  bool is_local() const override { return true; }

  Result<Completion> complete(const CompletionRequest& request, const TokenSink& on_token,
                              std::stop_token stop) override;
  Result<HealthStatus> check_health(std::stop_token stop) override;

 private:
  Result<void> prepare(const CompletionRequest& request, std::stop_token stop);
  Result<std::vector<llama_token>> prompt_tokens(const CompletionRequest& request) const;
  llama_token sample(bool constrained);
  bool shape_allows(llama_token id) const;
  llama_token constrained_draw(const float* logits);
  Result<void> decode(llama_token* tokens, int count, std::stop_token stop);

  LlamaOptions m_options;
  std::shared_ptr<llama_model> m_model;
  ContextPtr m_context;
  SamplerPtr m_draw;                     // temperature, then the seeded draw
  std::unique_ptr<TokenIndex> m_tokens;  // token texts, and tokens by first byte
  AnswerShape m_shape;                   // where the answer is in the grammar
  int m_n_vocab = 0;
  TopK m_top_k_select;
  std::vector<llama_token_data> m_top;         // the best k_top_k of a step
  std::vector<llama_token_data> m_top_copy;    // the same, before the draw changed them
  std::vector<llama_token_data> m_wide;        // the best k_wide of a step, when none of m_top is allowed
  std::vector<llama_token_data> m_candidates;  // the best tokens the grammar allows, when none of m_top is
  std::atomic<bool> m_abort{false};
};

Result<void> LlamaBackend::prepare(const CompletionRequest& request, std::stop_token stop) {
  if (m_context) return {};
  init_once();
  auto model = load_model(m_options.model_path.string(), request, stop);
  if (!model) return fail(model.error());
  m_model = *model;
  auto params = llama_context_default_params();
  const int threads = m_options.threads > 0 ? m_options.threads : default_thread_count();
  params.n_ctx = static_cast<uint32_t>(m_options.context_length);
  params.n_batch = params.n_ctx;
  params.n_threads = threads;
  params.n_threads_batch = threads;
  params.no_perf = true;
  params.abort_callback = abort_requested;
  params.abort_callback_data = &m_abort;
  m_context.reset(llama_init_from_model(m_model.get(), params));
  if (!m_context) return fail(ErrorCode::unavailable, "llama.cpp could not create a context for the model");

  auto chain_params = llama_sampler_chain_default_params();
  chain_params.no_perf = true;
  m_draw.reset(llama_sampler_chain_init(chain_params));
  llama_sampler_chain_add(m_draw.get(), llama_sampler_init_temp(0.2F));
  llama_sampler_chain_add(m_draw.get(), llama_sampler_init_dist(m_options.seed));
  const llama_vocab* vocab = llama_model_get_vocab(m_model.get());
  m_n_vocab = llama_vocab_n_tokens(vocab);
  m_candidates.reserve(k_top_k);
  m_wide.reserve(k_wide);
  m_top.reserve(k_top_k);
  m_top_copy.reserve(k_top_k);
  m_tokens = std::make_unique<TokenIndex>(vocab);
  return {};
}

Result<std::vector<llama_token>> LlamaBackend::prompt_tokens(const CompletionRequest& request) const {
  std::vector<llama_chat_message> chat;
  for (const auto& m : request.messages) chat.push_back({m.role.c_str(), m.content.c_str()});
  const char* tmpl = llama_model_chat_template(m_model.get(), nullptr);
  if (!tmpl) tmpl = "chatml";
  std::vector<char> text(4096);
  int n = llama_chat_apply_template(tmpl, chat.data(), chat.size(), true, text.data(), static_cast<int>(text.size()));
  if (n > static_cast<int>(text.size())) {
    text.resize(static_cast<std::size_t>(n));
    n = llama_chat_apply_template(tmpl, chat.data(), chat.size(), true, text.data(), static_cast<int>(text.size()));
  }
  if (n < 0) return fail(ErrorCode::unavailable, "the model's chat template is not one llama.cpp supports");
  const llama_vocab* vocab = llama_model_get_vocab(m_model.get());
  std::vector<llama_token> tokens(static_cast<std::size_t>(n) + 16);
  int count = llama_tokenize(vocab, text.data(), n, tokens.data(), static_cast<int>(tokens.size()), true, true);
  if (count < 0) {
    tokens.resize(static_cast<std::size_t>(-count));
    count = llama_tokenize(vocab, text.data(), n, tokens.data(), static_cast<int>(tokens.size()), true, true);
  }
  if (count < 0) return fail(ErrorCode::internal, "the prompt could not be tokenized");
  tokens.resize(static_cast<std::size_t>(count));
  if (tokens.size() + 64 > static_cast<std::size_t>(m_options.context_length)) {
    return fail(ErrorCode::invalid_argument, "the request is too long for the model's context", "shorten the request");
  }
  return tokens;
}

// Samples the next token: top-k, temperature and the seeded draw. When
// constrained, the drawn token is checked against the answer grammar; only
// if the grammar rejects it is the draw repeated over the top-k tokens it
// allows - the same distribution as filtering first (a valid token's chance
// is its share of the valid mass either way), for one check per token
// instead of k. llama.cpp's own common sampler works this way. Returns
// LLAMA_TOKEN_NULL when the vocabulary has no token the grammar allows.
llama_token LlamaBackend::sample(bool constrained) {
  const float* logits = llama_get_logits_ith(m_context.get(), -1);
  m_top_k_select.select(logits, m_n_vocab, k_top_k, m_top);
  if (constrained) m_top_copy.assign(m_top.begin(), m_top.end());
  llama_token_data_array cur{m_top.data(), m_top.size(), -1, true};
  llama_sampler_apply(m_draw.get(), &cur);
  llama_token id = cur.data[cur.selected].id;
  if (constrained && !shape_allows(id)) id = constrained_draw(logits);
  if (id != LLAMA_TOKEN_NULL) llama_sampler_accept(m_draw.get(), id);
  return id;
}

// The grammar is command_grammar() as AnswerShape follows it, byte by byte
// over the text this backend emits for a token; a token with no text
// (control tokens, end of generation) never fits inside the object.
bool LlamaBackend::shape_allows(llama_token id) const {
  const std::string& piece = m_tokens->piece(id);
  return !piece.empty() && m_shape.accepts(piece);
}

// The draw over allowed tokens only: the top-k the grammar allows. When
// none of those fits: the best k_top_k allowed among the model's k_wide most
// likely tokens (a string's next characters that the model ranks below
// tokens the grammar refuses, such as non-ASCII ones), unless the state is
// known to allow only a few tokens; and when that finds none either (a
// structural character the model ranks low), the best k_top_k of all the
// tokens the grammar allows next, from the token index.
llama_token LlamaBackend::constrained_draw(const float* logits) {
  const auto end = std::stable_partition(m_top_copy.begin(), m_top_copy.end(),
                                         [&](const llama_token_data& t) { return shape_allows(t.id); });
  llama_token_data_array cur{m_top_copy.data(), static_cast<std::size_t>(end - m_top_copy.begin()), -1, true};
  if (cur.size == 0 && !m_tokens->allows_few(m_shape, k_few_allowed)) {
    m_top_k_select.select(logits, m_n_vocab, k_wide, m_wide);
    m_candidates.clear();
    for (const auto& t : m_wide) {
      if (m_candidates.size() == k_top_k) break;
      if (shape_allows(t.id)) m_candidates.push_back(t);
    }
    cur = llama_token_data_array{m_candidates.data(), m_candidates.size(), -1, true};
  }
  if (cur.size == 0) {
    m_tokens->collect(m_shape, logits, k_top_k, m_candidates);
    cur = llama_token_data_array{m_candidates.data(), m_candidates.size(), -1, true};
  }
  if (cur.size == 0) return LLAMA_TOKEN_NULL;
  llama_sampler_apply(m_draw.get(), &cur);
  return cur.data[cur.selected].id;
}

Result<void> LlamaBackend::decode(llama_token* tokens, int count, std::stop_token stop) {
  const int rc = llama_decode(m_context.get(), llama_batch_get_one(tokens, count));
  if (rc == 0) return {};
  if (stop.stop_requested()) return fail(ErrorCode::cancelled, "generation was cancelled");
  return fail(ErrorCode::unavailable, "llama.cpp failed to decode (code " + std::to_string(rc) + ")");
}

Result<Completion> LlamaBackend::complete(const CompletionRequest& request, const TokenSink& on_token,
                                          std::stop_token stop) {
  const auto start = Clock::now();
  m_abort = false;
  std::stop_callback abort_on_stop(stop, [this] { m_abort = true; });
  CMDAI_TRY(prepare(request, stop));
  auto prompt = prompt_tokens(request);
  if (!prompt) return fail(prompt.error());
  llama_memory_clear(llama_get_memory(m_context.get()), true);
  llama_sampler_reset(m_draw.get());
  m_shape = AnswerShape{};
  if (stop.stop_requested()) return fail(ErrorCode::cancelled, "generation was cancelled");
  CMDAI_TRY(decode(prompt->data(), static_cast<int>(prompt->size()), stop));

  const bool constrained = !request.json_schema.empty();
  // The grammar bounds the answer; leave room for it whatever max_tokens says.
  const int limit =
      constrained ? std::max(request.max_tokens, static_cast<int>(2 * k_max_field + 64)) : request.max_tokens;
  const llama_vocab* vocab = llama_model_get_vocab(m_model.get());
  Completion out;
  JsonEndScanner scanner;
  for (int i = 0; i < limit; ++i) {
    if (stop.stop_requested()) return fail(ErrorCode::cancelled, "generation was cancelled");
    if (Clock::now() - start > request.timeout) {
      return fail(ErrorCode::timeout,
                  "the model did not finish within " + std::to_string(request.timeout.count()) + " ms",
                  "raise the timeout or use a smaller model");
    }
    llama_token token = sample(constrained);
    if (token == LLAMA_TOKEN_NULL) {
      return fail(ErrorCode::model_output_invalid, "the model's vocabulary has no token that continues the answer",
                  "use another model");
    }
    if (llama_vocab_is_eog(vocab, token)) break;
    const std::string_view piece = m_tokens->piece(token);
    if (out.tokens_generated == 0) out.time_to_first_token = std::chrono::duration_cast<Micros>(Clock::now() - start);
    ++out.tokens_generated;
    out.text += piece;
    if (on_token && !piece.empty()) on_token(piece);
    if (constrained) m_shape.feed(piece);
    if (constrained && scanner.feed(piece)) break;
    CMDAI_TRY(decode(&token, 1, stop));
  }
  return out;
}

Result<HealthStatus> LlamaBackend::check_health(std::stop_token) {
  HealthStatus status;
  std::error_code ec;
  status.healthy = std::filesystem::is_regular_file(m_options.model_path, ec);
  status.detail = status.healthy ? "ok" : "model file missing: " + m_options.model_path.string();
  status.models.push_back(m_options.model_path.filename().string());
  return status;
}

}  // namespace

bool llama_available() { return true; }

Result<std::unique_ptr<Backend>> make_llama_backend(const LlamaOptions& options) {
  std::error_code ec;
  if (options.model_path.empty()) {
    return fail(ErrorCode::unavailable, "no model installed for the llama backend",
                "run `cmdai model pull NAME` or pass --model PATH.gguf");
  }
  if (!std::filesystem::is_regular_file(options.model_path, ec)) {
    return fail(ErrorCode::unavailable, "the model file " + options.model_path.string() + " does not exist",
                "run `cmdai model list` to see installed models, or pass --model PATH.gguf");
  }
  return std::unique_ptr<Backend>(std::make_unique<LlamaBackend>(options));
}

}  // namespace cmdai::llm
