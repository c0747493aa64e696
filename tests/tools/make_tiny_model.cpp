// make_tiny_model: writes a tiny random-weight GGUF model for tests, with a
// real tokenizer copied from one of llama.cpp's tokenizer-only GGUF files.
//
//   make_tiny_model chat OUT.gguf [VOCAB_DIR]   qwen2 architecture, qwen2 vocab,
//                                               ChatML chat template
//   make_tiny_model bert OUT.gguf [VOCAB_DIR]   bert architecture, bert-bge vocab,
//                                               384-dim embeddings, mean pooling
//
// VOCAB_DIR defaults to the llama.cpp models directory found at build time.
// The weights come from a fixed seed, so the same command writes the same file.
// Exit status: 0 written, 1 failure (message on stderr), 2 usage.

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <ggml.h>
#include <gguf.h>

namespace {

constexpr unsigned k_seed = 20240601;

struct GgufDeleter {
  void operator()(gguf_context* ctx) const { gguf_free(ctx); }
};
struct GgmlDeleter {
  void operator()(ggml_context* ctx) const { ggml_free(ctx); }
};
using GgufPtr = std::unique_ptr<gguf_context, GgufDeleter>;
using GgmlPtr = std::unique_ptr<ggml_context, GgmlDeleter>;

struct Shape {
  std::string arch;
  std::string vocab_file;
  int n_embd;
  int n_layer;
  int n_head;
  int n_head_kv;
  int n_ff;
  int n_ctx;
};

// Writes the tensors of one model; `add` creates a named tensor.
class TensorWriter {
 public:
  TensorWriter(ggml_context* ctx, gguf_context* gguf) : m_ctx(ctx), m_gguf(gguf), m_rng(k_seed) {}

  // A weight matrix/vector: f16 random for matrices, f32 constants for 1-D.
  void matrix(const std::string& name, int64_t ne0, int64_t ne1) {
    ggml_tensor* t = ggml_new_tensor_2d(m_ctx, GGML_TYPE_F16, ne0, ne1);
    std::normal_distribution<float> dist(0.0F, 0.05F);
    auto* data = static_cast<ggml_fp16_t*>(t->data);
    for (int64_t i = 0; i < ne0 * ne1; ++i) data[i] = ggml_fp32_to_fp16(dist(m_rng));
    add(name, t);
  }
  // A random f32 matrix, for tensors the graph adds directly (bert's
  // token_types: ggml's CPU add takes no f16 operand).
  void matrix_f32(const std::string& name, int64_t ne0, int64_t ne1) {
    ggml_tensor* t = ggml_new_tensor_2d(m_ctx, GGML_TYPE_F32, ne0, ne1);
    std::normal_distribution<float> dist(0.0F, 0.05F);
    auto* data = static_cast<float*>(t->data);
    for (int64_t i = 0; i < ne0 * ne1; ++i) data[i] = dist(m_rng);
    add(name, t);
  }
  void vector(const std::string& name, int64_t ne0, float value) {
    ggml_tensor* t = ggml_new_tensor_1d(m_ctx, GGML_TYPE_F32, ne0);
    auto* data = static_cast<float*>(t->data);
    for (int64_t i = 0; i < ne0; ++i) data[i] = value;
    add(name, t);
  }

 private:
  void add(const std::string& name, ggml_tensor* t) {
    ggml_set_name(t, name.c_str());
    gguf_add_tensor(m_gguf, t);
  }
  ggml_context* m_ctx;
  gguf_context* m_gguf;
  std::mt19937 m_rng;
};

std::string blk(int layer, const char* rest) { return "blk." + std::to_string(layer) + "." + rest; }

void qwen2_tensors(TensorWriter& w, const Shape& s, int64_t n_vocab) {
  const int64_t kv = static_cast<int64_t>(s.n_embd) / s.n_head * s.n_head_kv;
  w.matrix("token_embd.weight", s.n_embd, n_vocab);
  w.vector("output_norm.weight", s.n_embd, 1.0F);
  for (int i = 0; i < s.n_layer; ++i) {
    w.vector(blk(i, "attn_norm.weight"), s.n_embd, 1.0F);
    w.matrix(blk(i, "attn_q.weight"), s.n_embd, s.n_embd);
    w.matrix(blk(i, "attn_k.weight"), s.n_embd, kv);
    w.matrix(blk(i, "attn_v.weight"), s.n_embd, kv);
    w.vector(blk(i, "attn_q.bias"), s.n_embd, 0.0F);
    w.vector(blk(i, "attn_k.bias"), kv, 0.0F);
    w.vector(blk(i, "attn_v.bias"), kv, 0.0F);
    w.matrix(blk(i, "attn_output.weight"), s.n_embd, s.n_embd);
    w.vector(blk(i, "ffn_norm.weight"), s.n_embd, 1.0F);
    w.matrix(blk(i, "ffn_gate.weight"), s.n_embd, s.n_ff);
    w.matrix(blk(i, "ffn_down.weight"), s.n_ff, s.n_embd);
    w.matrix(blk(i, "ffn_up.weight"), s.n_embd, s.n_ff);
  }
}

void bert_tensors(TensorWriter& w, const Shape& s, int64_t n_vocab) {
  w.matrix("token_embd.weight", s.n_embd, n_vocab);
  w.matrix_f32("token_types.weight", s.n_embd, 2);
  w.matrix("position_embd.weight", s.n_embd, s.n_ctx);
  w.vector("token_embd_norm.weight", s.n_embd, 1.0F);
  w.vector("token_embd_norm.bias", s.n_embd, 0.0F);
  for (int i = 0; i < s.n_layer; ++i) {
    w.matrix(blk(i, "attn_q.weight"), s.n_embd, s.n_embd);
    w.matrix(blk(i, "attn_k.weight"), s.n_embd, s.n_embd);
    w.matrix(blk(i, "attn_v.weight"), s.n_embd, s.n_embd);
    w.vector(blk(i, "attn_q.bias"), s.n_embd, 0.0F);
    w.vector(blk(i, "attn_k.bias"), s.n_embd, 0.0F);
    w.vector(blk(i, "attn_v.bias"), s.n_embd, 0.0F);
    w.matrix(blk(i, "attn_output.weight"), s.n_embd, s.n_embd);
    w.vector(blk(i, "attn_output.bias"), s.n_embd, 0.0F);
    w.vector(blk(i, "attn_output_norm.weight"), s.n_embd, 1.0F);
    w.vector(blk(i, "attn_output_norm.bias"), s.n_embd, 0.0F);
    w.matrix(blk(i, "ffn_up.weight"), s.n_embd, s.n_ff);
    w.vector(blk(i, "ffn_up.bias"), s.n_ff, 0.0F);
    w.matrix(blk(i, "ffn_down.weight"), s.n_ff, s.n_embd);
    w.vector(blk(i, "ffn_down.bias"), s.n_embd, 0.0F);
    w.vector(blk(i, "layer_output_norm.weight"), s.n_embd, 1.0F);
    w.vector(blk(i, "layer_output_norm.bias"), s.n_embd, 0.0F);
  }
}

constexpr const char* k_chatml =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

void set_hparams(gguf_context* out, const Shape& s) {
  const std::string a = s.arch;
  gguf_set_val_str(out, "general.architecture", a.c_str());
  gguf_set_val_str(out, "general.name", ("cmdai tiny " + a).c_str());
  gguf_set_val_u32(out, "general.file_type", 1);  // mostly f16
  gguf_set_val_u32(out, (a + ".context_length").c_str(), static_cast<uint32_t>(s.n_ctx));
  gguf_set_val_u32(out, (a + ".embedding_length").c_str(), static_cast<uint32_t>(s.n_embd));
  gguf_set_val_u32(out, (a + ".block_count").c_str(), static_cast<uint32_t>(s.n_layer));
  gguf_set_val_u32(out, (a + ".feed_forward_length").c_str(), static_cast<uint32_t>(s.n_ff));
  gguf_set_val_u32(out, (a + ".attention.head_count").c_str(), static_cast<uint32_t>(s.n_head));
  gguf_set_val_u32(out, (a + ".attention.head_count_kv").c_str(), static_cast<uint32_t>(s.n_head_kv));
  if (a == "bert") {
    gguf_set_val_f32(out, "bert.attention.layer_norm_epsilon", 1e-12F);
    gguf_set_val_bool(out, "bert.attention.causal", false);
    gguf_set_val_u32(out, "bert.pooling_type", 1);  // mean
    gguf_set_val_u32(out, "tokenizer.ggml.token_type_count", 2);
  } else {
    gguf_set_val_f32(out, (a + ".attention.layer_norm_rms_epsilon").c_str(), 1e-6F);
    gguf_set_val_f32(out, (a + ".rope.freq_base").c_str(), 1000000.0F);
    gguf_set_val_str(out, "tokenizer.chat_template", k_chatml);
  }
}

int make_model(const Shape& shape, const std::filesystem::path& vocab_dir, const std::string& out_path) {
  const auto vocab_path = (vocab_dir / shape.vocab_file).string();
  gguf_init_params params{/*no_alloc=*/true, /*ctx=*/nullptr};
  GgufPtr vocab(gguf_init_from_file(vocab_path.c_str(), params));
  if (!vocab) {
    std::fprintf(stderr, "make_tiny_model: cannot read tokenizer %s\n", vocab_path.c_str());
    return 1;
  }
  const int64_t tokens_key = gguf_find_key(vocab.get(), "tokenizer.ggml.tokens");
  if (tokens_key < 0) {
    std::fprintf(stderr, "make_tiny_model: %s has no tokenizer.ggml.tokens\n", vocab_path.c_str());
    return 1;
  }
  const auto n_vocab = static_cast<int64_t>(gguf_get_arr_n(vocab.get(), tokens_key));

  GgufPtr out(gguf_init_empty());
  gguf_set_kv(out.get(), vocab.get());
  set_hparams(out.get(), shape);

  const std::size_t bytes = static_cast<std::size_t>(n_vocab + shape.n_ctx + 64) * shape.n_embd * 2 +
                            static_cast<std::size_t>(shape.n_layer) * 40 * shape.n_embd * (shape.n_ff + 64) +
                            (16U << 20);
  ggml_init_params ggml_params{bytes, nullptr, /*no_alloc=*/false};
  GgmlPtr ctx(ggml_init(ggml_params));
  TensorWriter writer(ctx.get(), out.get());
  if (shape.arch == "bert") {
    bert_tensors(writer, shape, n_vocab);
  } else {
    qwen2_tensors(writer, shape, n_vocab);
  }
  const std::string tmp = out_path + ".tmp";
  if (!gguf_write_to_file(out.get(), tmp.c_str(), /*only_meta=*/false)) {
    std::fprintf(stderr, "make_tiny_model: cannot write %s\n", tmp.c_str());
    return 1;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out_path, ec);
  if (ec) {
    std::fprintf(stderr, "make_tiny_model: cannot rename to %s: %s\n", out_path.c_str(), ec.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4 || (std::strcmp(argv[1], "chat") != 0 && std::strcmp(argv[1], "bert") != 0)) {
    std::fprintf(stderr, "usage: make_tiny_model chat|bert OUT.gguf [VOCAB_DIR]\n");
    return 2;
  }
  const std::filesystem::path vocab_dir = argc == 4 ? argv[3] : CMDAI_LLAMA_VOCAB_DIR;
  const bool chat = std::strcmp(argv[1], "chat") == 0;
  const Shape shape = chat ? Shape{"qwen2", "ggml-vocab-qwen2.gguf", 64, 2, 4, 2, 128, 512}
                           : Shape{"bert", "ggml-vocab-bert-bge.gguf", 384, 2, 6, 6, 768, 512};
  return make_model(shape, vocab_dir, argv[2]);
}
