#include "llm/llama/token_candidates.h"

#include <algorithm>

namespace cmdai::llm {

// Built twice on x86-64 (AVX2 and baseline, picked at load time): the block
// scan below is most of the cost and twice as fast with 8-wide compares.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx2", "default")))
#endif
void top_k_candidates(const float* logits, int n_vocab, std::size_t k, std::vector<llama_token_data>& out) {
  out.clear();
  if (k == 0 || n_vocab <= 0) return;
  // A min-heap of the best k so far: its front is the one to beat. Once it
  // is full, whole blocks that cannot beat it are skipped with one
  // vectorisable comparison pass, so most of the vocabulary costs a load
  // and a compare.
  auto worse = [](const llama_token_data& a, const llama_token_data& b) { return a.logit > b.logit; };
  constexpr int k_block = 64;
  float to_beat = 0;
  auto offer = [&](int i) {
    if (out.size() < k) {
      out.push_back({static_cast<llama_token>(i), logits[i], 0.0F});
      if (out.size() == k) std::make_heap(out.begin(), out.end(), worse);
    } else if (logits[i] > out.front().logit) {
      std::pop_heap(out.begin(), out.end(), worse);
      out.back() = {static_cast<llama_token>(i), logits[i], 0.0F};
      std::push_heap(out.begin(), out.end(), worse);
    } else {
      return;
    }
    if (out.size() == k) to_beat = out.front().logit;
  };
  int i = 0;
  for (; i < n_vocab && out.size() < k; ++i) offer(i);
  for (; i + k_block <= n_vocab; i += k_block) {
    int any = 0;  // an int, not a bool: the compare-or loop vectorises
    for (int j = 0; j < k_block; ++j) any |= static_cast<int>(logits[i + j] > to_beat);
    if (!any) continue;
    for (int j = 0; j < k_block; ++j) offer(i + j);
  }
  for (; i < n_vocab; ++i) offer(i);
  std::sort(out.begin(), out.end(), worse);
}

void all_candidates(const float* logits, int n_vocab, std::vector<llama_token_data>& out) {
  out.resize(static_cast<std::size_t>(n_vocab));
  for (int i = 0; i < n_vocab; ++i) out[static_cast<std::size_t>(i)] = {static_cast<llama_token>(i), logits[i], 0.0F};
}

FirstByteIndex::FirstByteIndex(const llama_vocab* vocab) {
  const int n_vocab = llama_vocab_n_tokens(vocab);
  m_pieces.reserve(static_cast<std::size_t>(n_vocab));
  std::vector<char> buffer(256);
  for (llama_token id = 0; id < n_vocab; ++id) {
    int n = llama_token_to_piece(vocab, id, buffer.data(), static_cast<int>(buffer.size()), 0, false);
    if (n < 0) {  // longer than the buffer: -n is the length
      buffer.resize(static_cast<std::size_t>(-n));
      n = llama_token_to_piece(vocab, id, buffer.data(), static_cast<int>(buffer.size()), 0, false);
    }
    m_pieces.emplace_back(buffer.data(), static_cast<std::size_t>(std::max(n, 0)));
    if (n > 0) m_by_byte[static_cast<unsigned char>(buffer[0])].push_back(id);
  }
}

void FirstByteIndex::collect(const AnswerShape& shape, const float* logits, std::size_t k,
                             std::vector<llama_token_data>& out) const {
  out.clear();
  const auto bytes = shape.next_bytes();
  for (std::size_t b = 0; b < m_by_byte.size(); ++b) {
    if (!bytes.test(b)) continue;
    for (const llama_token id : m_by_byte[b]) {
      if (shape.accepts(m_pieces[static_cast<std::size_t>(id)])) out.push_back({id, logits[id], 0.0F});
    }
  }
  auto better = [](const llama_token_data& a, const llama_token_data& b) { return a.logit > b.logit; };
  const auto keep = std::min(k, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(), better);
  out.resize(keep);
}

}  // namespace cmdai::llm
