#include "semantic/llama/llama_embedder.h"

#include <llama.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <variant>

#include "semantic/gguf_metadata.h"

namespace cmdai::semantic {
namespace {

struct ModelFree {
  void operator()(llama_model* model) const { llama_model_free(model); }
};
struct ContextFree {
  void operator()(llama_context* context) const { llama_free(context); }
};
struct BatchFree {
  void operator()(llama_batch* batch) const {
    llama_batch_free(*batch);
    delete batch;
  }
};

// llama.cpp's own messages stay out of cmdai's output; failures reach the
// user as Error values with a hint instead.
void quiet_log(ggml_log_level, const char*, void*) {}

void init_backend() {
  static std::once_flag once;
  std::call_once(once, [] {
    llama_log_set(quiet_log, nullptr);
    llama_backend_init();
  });
}

class LlamaEmbedder final : public Embedder {
 public:
  LlamaEmbedder(LlamaEmbedderOptions options, std::unique_ptr<llama_model, ModelFree> model, std::string id)
      : m_options(std::move(options)),
        m_model(std::move(model)),
        m_id(std::move(id)),
        m_dimensions(static_cast<std::size_t>(llama_model_n_embd_out(m_model.get()))),
        m_batch(new llama_batch(llama_batch_init(static_cast<int32_t>(m_options.batch_tokens), 0, 1))) {}

  std::string model_id() const override { return m_id; }
  std::size_t dimensions() const override { return m_dimensions; }
  Result<std::vector<Vector>> embed(std::span<const std::string> texts) override;

 private:
  Result<std::vector<llama_token>> tokenize(const std::string& text) const;
  Result<void> fit_context(std::size_t tokens, std::size_t sequences);
  Result<void> decode(std::size_t first, std::size_t count, std::vector<Vector>& out);

  LlamaEmbedderOptions m_options;
  std::unique_ptr<llama_model, ModelFree> m_model;
  std::unique_ptr<llama_context, ContextFree> m_context;
  std::size_t m_context_tokens = 0;  // what m_context holds in one decode call
  std::size_t m_context_sequences = 0;
  std::string m_id;
  std::size_t m_dimensions;
  std::unique_ptr<llama_batch, BatchFree> m_batch;
};

Result<std::vector<llama_token>> LlamaEmbedder::tokenize(const std::string& text) const {
  const llama_vocab* vocab = llama_model_get_vocab(m_model.get());
  std::vector<llama_token> tokens(text.size() + 8);
  int32_t n = llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), tokens.data(),
                             static_cast<int32_t>(tokens.size()), true, false);
  if (n < 0) {
    tokens.resize(static_cast<std::size_t>(-n));
    n = llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), tokens.data(),
                       static_cast<int32_t>(tokens.size()), true, false);
  }
  if (n < 0) return fail(ErrorCode::internal, "the embedding model could not tokenize a text");
  tokens.resize(static_cast<std::size_t>(n));
  const std::size_t limit = std::min(m_options.max_tokens, m_options.batch_tokens);
  if (tokens.size() > limit) {
    // Keep the closing separator the model was trained to see.
    const llama_token last = tokens.back();
    tokens.resize(limit);
    tokens.back() = last;
  }
  return tokens;
}

Result<std::vector<Vector>> LlamaEmbedder::embed(std::span<const std::string> texts) {
  for (const auto& text : texts) CMDAI_TRY(check_embeddable(text));
  std::vector<Vector> out(texts.size());
  m_batch->n_tokens = 0;
  std::size_t first = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto tokens = tokenize(texts[i]);
    if (!tokens) return fail(tokens.error());
    const std::size_t in_batch = i - first;
    if (in_batch > 0 && (static_cast<std::size_t>(m_batch->n_tokens) + tokens->size() > m_options.batch_tokens ||
                         in_batch >= m_options.max_sequences)) {
      CMDAI_TRY(decode(first, in_batch, out));
      first = i;
    }
    const auto seq = static_cast<llama_seq_id>(i - first);
    for (std::size_t p = 0; p < tokens->size(); ++p) {
      const int32_t k = m_batch->n_tokens++;
      m_batch->token[k] = (*tokens)[p];
      m_batch->pos[k] = static_cast<llama_pos>(p);
      m_batch->n_seq_id[k] = 1;
      m_batch->seq_id[k][0] = seq;
      m_batch->logits[k] = 1;
    }
  }
  if (texts.size() > first) CMDAI_TRY(decode(first, texts.size() - first, out));
  return out;
}

// minimum doubled until it holds n, at most limit.
std::size_t context_size(std::size_t n, std::size_t minimum, std::size_t limit) {
  std::size_t size = minimum;
  while (size < n && size < limit) size *= 2;
  return std::min(size, limit);
}

// A context reserves compute and output buffers for its largest batch
// (2048 tokens in 32 sequences: a third of a query's time with a small
// model), so it is made for the work asked for and grows when a later call
// needs more. Its size does not change a vector: one batch is one ubatch
// either way (BERT-family models keep no KV cache).
Result<void> LlamaEmbedder::fit_context(std::size_t tokens, std::size_t sequences) {
  if (m_context && tokens <= m_context_tokens && sequences <= m_context_sequences) return {};
  const std::size_t n_tokens = context_size(std::max(tokens, m_context_tokens), 64, m_options.batch_tokens);
  const std::size_t n_sequences = context_size(std::max(sequences, m_context_sequences), 1, m_options.max_sequences);
  m_context.reset();
  llama_context_params params = llama_context_default_params();
  params.n_ctx = static_cast<uint32_t>(n_tokens);
  params.n_batch = static_cast<uint32_t>(n_tokens);
  params.n_ubatch = static_cast<uint32_t>(n_tokens);  // non-causal models need a whole sequence per ubatch
  params.n_seq_max = static_cast<uint32_t>(n_sequences);
  params.n_threads = m_options.threads;
  params.n_threads_batch = m_options.threads;
  params.embeddings = true;
  params.pooling_type = LLAMA_POOLING_TYPE_MEAN;
  params.kv_unified = true;
  m_context.reset(llama_init_from_model(m_model.get(), params));
  if (!m_context) {
    m_context_tokens = m_context_sequences = 0;
    return fail(ErrorCode::unavailable, "could not create a context for " + m_options.model_path.string());
  }
  m_context_tokens = n_tokens;
  m_context_sequences = n_sequences;
  return {};
}

Result<void> LlamaEmbedder::decode(std::size_t first, std::size_t count, std::vector<Vector>& out) {
  if (auto fitted = fit_context(static_cast<std::size_t>(m_batch->n_tokens), count); !fitted) {
    m_batch->n_tokens = 0;
    return fitted;
  }
  llama_memory_clear(llama_get_memory(m_context.get()), true);
  const int32_t status = llama_decode(m_context.get(), *m_batch);
  m_batch->n_tokens = 0;
  if (status != 0) {
    return fail(ErrorCode::internal,
                "the embedding model failed on a batch (llama_decode returned " + std::to_string(status) + ")");
  }
  for (std::size_t s = 0; s < count; ++s) {
    const float* embedding = llama_get_embeddings_seq(m_context.get(), static_cast<llama_seq_id>(s));
    if (embedding == nullptr) return fail(ErrorCode::internal, "the embedding model returned no pooled vector");
    Vector vector(embedding, embedding + m_dimensions);
    normalize_l2(vector);
    out[first + s] = std::move(vector);
  }
  return {};
}

std::string model_identity(const std::filesystem::path& path, std::size_t dimensions) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return "llama:" + path.filename().string() + ":" + std::to_string(ec ? 0 : size) + ":" + std::to_string(dimensions) +
         ":mean";
}

}  // namespace

bool llama_embeddings_available() { return true; }

Result<EmbedderIdentity> read_llama_embedder_identity(const std::filesystem::path& model_path) {
  auto header = read_gguf_metadata(model_path, {"general.architecture", "tokenizer.chat_template"});
  if (!header) return fail(ErrorCode::unavailable, "no GGUF header in " + model_path.string());
  const auto* arch = header->contains("general.architecture")
                         ? std::get_if<std::string>(&header->at("general.architecture"))
                         : nullptr;
  if (arch == nullptr) return fail(ErrorCode::unavailable, model_path.string() + " names no architecture");
  // A chat model is refused by make_llama_embedder, with its reasons: let it.
  if (header->contains("tokenizer.chat_template")) {
    return fail(ErrorCode::unavailable, model_path.string() + " has a chat template");
  }
  // llama.cpp's n_embd_out(): the output length when the model has one, else the embedding length.
  const std::string out_key = *arch + ".embedding_length_out";
  const std::string length_key = *arch + ".embedding_length";
  auto lengths = read_gguf_metadata(model_path, {out_key, length_key});
  if (!lengths) return fail(ErrorCode::unavailable, "no GGUF header in " + model_path.string());
  std::uint64_t dimensions = 0;
  for (const auto& key : {out_key, length_key}) {
    if (dimensions != 0 || !lengths->contains(key)) continue;
    if (const auto* value = std::get_if<std::uint64_t>(&lengths->at(key))) dimensions = *value;
  }
  if (dimensions == 0 || dimensions > (1U << 20)) {
    return fail(ErrorCode::unavailable, model_path.string() + " has no embedding length");
  }
  return EmbedderIdentity{model_identity(model_path, dimensions), dimensions};
}

Result<std::unique_ptr<Embedder>> make_llama_embedder(const LlamaEmbedderOptions& options) {
  init_backend();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.model_path, ec)) {
    return fail(ErrorCode::not_found, "no embedding model at " + options.model_path.string(),
                "check the path, or unset CMDAI_EMBEDDING_MODEL");
  }
  llama_model_params model_params = llama_model_default_params();
  model_params.n_gpu_layers = 0;
  std::unique_ptr<llama_model, ModelFree> model(llama_model_load_from_file(options.model_path.c_str(), model_params));
  if (!model) {
    return fail(ErrorCode::unavailable, "could not load the embedding model " + options.model_path.string(),
                "is it a GGUF file for this llama.cpp?");
  }
  if (llama_model_has_decoder(model.get()) && !llama_model_has_encoder(model.get()) &&
      llama_model_n_cls_out(model.get()) == 0 && llama_model_chat_template(model.get(), nullptr) != nullptr) {
    return fail(ErrorCode::invalid_argument, options.model_path.string() + " is a chat model, not an embedding model",
                "use a BERT-family embedding model such as bge-small or all-MiniLM");
  }
  LlamaEmbedderOptions effective = options;
  effective.max_sequences = std::min(options.max_sequences, llama_max_parallel_sequences());
  const auto dimensions = static_cast<std::size_t>(llama_model_n_embd_out(model.get()));
  std::string id = model_identity(options.model_path, dimensions);
  // The first tokenization builds llama.cpp's Unicode tables (about 5 ms):
  // here, so a load on a prefetch thread pays it off the search's path.
  std::array<llama_token, 8> tokens{};
  (void)llama_tokenize(llama_model_get_vocab(model.get()), "a", 1, tokens.data(), static_cast<int32_t>(tokens.size()),
                       false, false);
  return std::unique_ptr<Embedder>(
      std::make_unique<LlamaEmbedder>(std::move(effective), std::move(model), std::move(id)));
}

}  // namespace cmdai::semantic
