#include "llm/llama/token_candidates.h"

#include <algorithm>
#include <functional>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace cmdai::llm {

namespace {

constexpr int k_block = 64;

#if defined(__x86_64__) && defined(__GNUC__)
float horizontal_max(__m128 v) {
  v = _mm_max_ps(v, _mm_movehl_ps(v, v));
  v = _mm_max_ss(v, _mm_shuffle_ps(v, v, 1));
  return _mm_cvtss_f32(v);
}

void block_maxima_sse(const float* x, int blocks, float* out) {
  for (int b = 0; b < blocks; ++b) {
    const float* p = x + static_cast<std::ptrdiff_t>(b) * k_block;
    __m128 m = _mm_loadu_ps(p);
    for (int j = 4; j < k_block; j += 4) m = _mm_max_ps(m, _mm_loadu_ps(p + j));
    out[b] = horizontal_max(m);
  }
}

__attribute__((target("avx2"))) void block_maxima_avx2(const float* x, int blocks, float* out) {
  for (int b = 0; b < blocks; ++b) {
    const float* p = x + static_cast<std::ptrdiff_t>(b) * k_block;
    __m256 m = _mm256_loadu_ps(p);
    for (int j = 8; j < k_block; j += 8) m = _mm256_max_ps(m, _mm256_loadu_ps(p + j));
    out[b] = horizontal_max(_mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1)));
  }
}
#else
void block_maxima_scalar(const float* x, int blocks, float* out) {
  for (int b = 0; b < blocks; ++b) {
    const float* p = x + static_cast<std::ptrdiff_t>(b) * k_block;
    float m = p[0];
    for (int j = 1; j < k_block; ++j) m = p[j] > m ? p[j] : m;
    out[b] = m;
  }
}
#endif

void block_maxima(const float* x, int blocks, float* out) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return block_maxima_avx2(x, blocks, out);
  return block_maxima_sse(x, blocks, out);
#else
  block_maxima_scalar(x, blocks, out);
#endif
}

// Keeps the best k offered so far in a min-heap (its front is the one to beat).
struct BestK {
  std::vector<llama_token_data>& heap;
  std::size_t k;
  static bool worse(const llama_token_data& a, const llama_token_data& b) { return a.logit > b.logit; }
  void offer(llama_token id, float logit) {
    if (heap.size() < k) {
      heap.push_back({id, logit, 0.0F});
      if (heap.size() == k) std::make_heap(heap.begin(), heap.end(), worse);
    } else if (logit > heap.front().logit) {
      std::pop_heap(heap.begin(), heap.end(), worse);
      heap.back() = {id, logit, 0.0F};
      std::push_heap(heap.begin(), heap.end(), worse);
    }
  }
  void finish() { std::sort(heap.begin(), heap.end(), worse); }
};

}  // namespace

void TopK::select(const float* logits, int n_vocab, std::size_t k, std::vector<llama_token_data>& out) {
  out.clear();
  if (k == 0 || n_vocab <= 0) return;
  BestK best{out, k};
  const int blocks = n_vocab / k_block;
  int from = blocks * k_block;  // the tail after the last whole block is always looked at
  if (static_cast<std::size_t>(blocks) > k) {
    m_maxima.resize(static_cast<std::size_t>(blocks));
    block_maxima(logits, blocks, m_maxima.data());
    m_order.assign(m_maxima.begin(), m_maxima.end());
    const auto kth = m_order.begin() + static_cast<std::ptrdiff_t>(k - 1);
    std::nth_element(m_order.begin(), kth, m_order.end(), std::greater<>());
    const float floor = *kth;  // k blocks reach it, so the k best logits all do
    for (int b = 0; b < blocks; ++b) {
      if (!(m_maxima[static_cast<std::size_t>(b)] >= floor)) continue;
      for (int i = b * k_block; i < (b + 1) * k_block; ++i) {
        if (logits[i] >= floor) best.offer(static_cast<llama_token>(i), logits[i]);
      }
    }
  } else {
    from = 0;  // a vocabulary too small for blocks to pay off
  }
  for (int i = from; i < n_vocab; ++i) best.offer(static_cast<llama_token>(i), logits[i]);
  if (out.size() < std::min(k, static_cast<std::size_t>(n_vocab))) {  // NaN logits defeat the floor
    out.clear();
    for (int i = 0; i < n_vocab; ++i) best.offer(static_cast<llama_token>(i), logits[i]);
  }
  best.finish();
}

TokenIndex::TokenIndex(const llama_vocab* vocab) {
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
  for (llama_token id = 0; id < n_vocab; ++id) {
    const std::string& piece = m_pieces[static_cast<std::size_t>(id)];
    if (piece.empty()) continue;
    if (std::all_of(piece.begin(), piece.end(),
                    [](char c) { return is_plain_string_byte(static_cast<unsigned char>(c)); })) {
      m_plain.push_back(id);
    } else if (piece.find_first_of("\"\\") != std::string::npos) {
      m_quote_or_escape.push_back(id);
    }
  }
  std::stable_sort(m_plain.begin(), m_plain.end(), [&](llama_token a, llama_token b) {
    return m_pieces[static_cast<std::size_t>(a)].size() < m_pieces[static_cast<std::size_t>(b)].size();
  });
  m_plain_length.reserve(m_plain.size());
  for (const llama_token id : m_plain) m_plain_length.push_back(m_pieces[static_cast<std::size_t>(id)].size());
}

const std::vector<llama_token>& TokenIndex::allowed(const AnswerShape& shape, std::vector<llama_token>& scratch) const {
  const auto key = shape.state_key();
  if (key) {
    if (auto known = m_allowed_by_state.find(*key); known != m_allowed_by_state.end()) return known->second;
  }
  scratch.clear();
  const auto bytes = shape.next_bytes();
  for (std::size_t b = 0; b < m_by_byte.size(); ++b) {
    if (!bytes.test(b)) continue;
    for (const llama_token id : m_by_byte[b]) {
      if (shape.accepts(m_pieces[static_cast<std::size_t>(id)])) scratch.push_back(id);
    }
  }
  if (!key) return scratch;
  return m_allowed_by_state.emplace(*key, scratch).first->second;
}

bool TokenIndex::allows_few(const AnswerShape& shape, std::size_t few) const {
  const auto key = shape.state_key();
  if (!key) return false;
  const auto known = m_allowed_by_state.find(*key);
  return known != m_allowed_by_state.end() && known->second.size() <= few;
}

void TokenIndex::collect_in_string(const AnswerShape& shape, std::size_t room, const float* logits, std::size_t k,
                                   std::vector<llama_token_data>& out) const {
  BestK best{out, k};
  const auto fit = std::upper_bound(m_plain_length.begin(), m_plain_length.end(), room) - m_plain_length.begin();
  for (std::ptrdiff_t i = 0; i < fit; ++i) {
    const llama_token id = m_plain[static_cast<std::size_t>(i)];
    best.offer(id, logits[id]);
  }
  for (const llama_token id : m_quote_or_escape) {
    if (shape.accepts(m_pieces[static_cast<std::size_t>(id)])) best.offer(id, logits[id]);
  }
  best.finish();
}

void TokenIndex::collect(const AnswerShape& shape, const float* logits, std::size_t k,
                         std::vector<llama_token_data>& out) const {
  out.clear();
  if (k == 0) return;
  // Inside a string no state names itself, and most of the vocabulary may
  // fit: the plain tokens are found by length, never by stepping through them.
  if (const auto room = shape.string_room(); room && !shape.state_key()) {
    collect_in_string(shape, *room, logits, k, out);
    return;
  }
  std::vector<llama_token> scratch;
  for (const llama_token id : allowed(shape, scratch)) out.push_back({id, logits[id], 0.0F});
  auto better = [](const llama_token_data& a, const llama_token_data& b) { return a.logit > b.logit; };
  const auto keep = std::min(k, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(), better);
  out.resize(keep);
}

}  // namespace cmdai::llm
