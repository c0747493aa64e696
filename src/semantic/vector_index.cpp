#include "semantic/vector_index.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cmdai::semantic {
namespace {

#if defined(__x86_64__)
// |a| * sign(b, a) keeps maddubs's unsigned*signed product equal to a*b;
// pairs of products stay within int16 because values lie in [-127, 127].
__attribute__((target("avx2"))) std::int32_t dot_int8_avx2(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i acc0 = _mm256_setzero_si256();
  __m256i acc1 = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m256i a0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i));
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i));
    const __m256i a1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i + 32));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i + 32));
    const __m256i p0 = _mm256_maddubs_epi16(_mm256_sign_epi8(a0, a0), _mm256_sign_epi8(b0, a0));
    const __m256i p1 = _mm256_maddubs_epi16(_mm256_sign_epi8(a1, a1), _mm256_sign_epi8(b1, a1));
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(p0, ones));
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(p1, ones));
  }
  for (; i + 32 <= n; i += 32) {
    const __m256i a0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i));
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i));
    const __m256i p0 = _mm256_maddubs_epi16(_mm256_sign_epi8(a0, a0), _mm256_sign_epi8(b0, a0));
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(p0, ones));
  }
  const __m256i acc = _mm256_add_epi32(acc0, acc1);
  __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0x4E));
  sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0xB1));
  std::int32_t total = _mm_cvtsi128_si32(sum);
  for (; i < n; ++i) total += static_cast<std::int32_t>(a[i]) * b[i];
  return total;
}

bool have_avx2() {
  static const bool available = __builtin_cpu_supports("avx2") != 0;
  return available;
}
#endif

}  // namespace

std::int32_t dot_int8_portable(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
  // Sixteen independent accumulators: no loop-carried dependency for the
  // compiler to respect, so it vectorises the body.
  std::int32_t acc[16] = {};
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    for (std::size_t k = 0; k < 16; ++k) acc[k] += static_cast<std::int32_t>(a[i + k]) * b[i + k];
  }
  std::int32_t total = 0;
  for (std::int32_t part : acc) total += part;
  for (; i < n; ++i) total += static_cast<std::int32_t>(a[i]) * b[i];
  return total;
}

std::int32_t dot_int8(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
#if defined(__x86_64__)
  if (have_avx2()) return dot_int8_avx2(a, b, n);
#endif
  return dot_int8_portable(a, b, n);
}

float quantize(std::span<const float> v, std::span<std::int8_t> out) {
  float max_abs = 0;
  for (float x : v) max_abs = std::max(max_abs, std::fabs(x));
  if (max_abs == 0 || !std::isfinite(max_abs)) {
    std::fill(out.begin(), out.end(), std::int8_t{0});
    return 0;
  }
  const float inverse = 127.0F / max_abs;
  for (std::size_t i = 0; i < v.size(); ++i) {
    out[i] = static_cast<std::int8_t>(std::clamp(std::lround(v[i] * inverse), -127L, 127L));
  }
  return max_abs / 127.0F;
}

bool VectorIndex::add(std::int64_t id, std::span<const float> vector) {
  if (vector.size() != m_dimensions) return false;
  const std::size_t offset = m_codes.size();
  m_codes.resize(offset + m_dimensions);
  m_scales.push_back(quantize(vector, std::span<std::int8_t>(m_codes).subspan(offset, m_dimensions)));
  m_ids.push_back(id);
  return true;
}

std::vector<VectorHit> VectorIndex::search(std::span<const float> query, std::size_t k,
                                           const std::vector<std::uint8_t>* allowed) const {
  if (query.size() != m_dimensions || k == 0 || m_ids.empty()) return {};
  std::vector<std::int8_t> code(m_dimensions);
  const float query_scale = quantize(query, code);
  // Min-heap of (score, position): the worst of the best k on top.
  using Entry = std::pair<float, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> best;
  const std::int8_t* row = m_codes.data();
  for (std::size_t i = 0; i < m_ids.size(); ++i, row += m_dimensions) {
    if (allowed != nullptr && (*allowed)[i] == 0) continue;
    const float score = static_cast<float>(dot_int8(code.data(), row, m_dimensions)) * m_scales[i];
    if (best.size() < k) {
      best.emplace(score, i);
    } else if (score > best.top().first) {
      best.pop();
      best.emplace(score, i);
    }
  }
  std::vector<VectorHit> hits(best.size());
  for (std::size_t n = hits.size(); n-- > 0; best.pop()) {
    hits[n] = {m_ids[best.top().second], best.top().first * query_scale};
  }
  return hits;
}

std::vector<std::uint8_t> VectorIndex::positions_of(std::span<const std::int64_t> ids) const {
  std::vector<std::uint8_t> mask(m_ids.size(), 0);
  for (std::int64_t id : ids) {
    auto it = std::lower_bound(m_ids.begin(), m_ids.end(), id);
    if (it != m_ids.end() && *it == id) mask[static_cast<std::size_t>(it - m_ids.begin())] = 1;
  }
  return mask;
}

}  // namespace cmdai::semantic
