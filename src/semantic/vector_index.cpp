#include "semantic/vector_index.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
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

namespace {

// The ternary agreement of one row: positives and negatives are disjoint,
// so (qp & rp) | (qn & rn) counts agreements and (qp & rn) | (qn & rp)
// disagreements, one popcount each.
template <typename Popcount>
[[gnu::always_inline]] inline void ternary_scan(const std::uint64_t* rows, std::size_t n, const std::uint64_t* query,
                                                std::size_t words, const std::uint8_t* allowed, std::uint16_t* out,
                                                Popcount popcount) {
  const std::size_t half = words / 2;
  const auto bits = static_cast<std::int32_t>(32 * words);
  for (std::size_t i = 0; i < n; ++i, rows += words) {
    if (allowed != nullptr && allowed[i] == 0) {
      out[i] = 0xFFFF;
      continue;
    }
    std::int32_t agreement = 0;
    for (std::size_t w = 0; w < half; ++w) {
      const std::uint64_t qp = query[w], qn = query[half + w], rp = rows[w], rn = rows[half + w];
      agreement += popcount((qp & rp) | (qn & rn)) - popcount((qp & rn) | (qn & rp));
    }
    out[i] = static_cast<std::uint16_t>(bits - agreement);
  }
}

#if defined(__x86_64__)
__attribute__((target("popcnt"))) void ternary_popcnt(const std::uint64_t* rows, std::size_t n,
                                                      const std::uint64_t* query, std::size_t words,
                                                      const std::uint8_t* allowed, std::uint16_t* out) {
  ternary_scan(rows, n, query, words, allowed, out, [](std::uint64_t x) { return __builtin_popcountll(x); });
}

bool have_popcnt() {
  static const bool available = __builtin_cpu_supports("popcnt") != 0;
  return available;
}
#endif

void set_signs(std::span<const std::int8_t> code, std::uint64_t* signs) {
  const std::size_t half = sign_words(code.size()) / 2;
  for (std::size_t w = 0; w < 2 * half; ++w) signs[w] = 0;
  for (std::size_t d = 0; d < code.size(); ++d) {
    const std::uint64_t bit = std::uint64_t{1} << (d % 64);
    if (code[d] >= k_ternary_threshold) signs[d / 64] |= bit;
    if (code[d] <= -k_ternary_threshold) signs[half + d / 64] |= bit;
  }
}

}  // namespace

void ternary_distances(const std::uint64_t* rows, std::size_t n, const std::uint64_t* query, std::size_t words,
                       const std::uint8_t* allowed, std::uint16_t* out) {
#if defined(__x86_64__)
  if (have_popcnt()) {
    ternary_popcnt(rows, n, query, words, allowed, out);
    return;
  }
#endif
  ternary_scan(rows, n, query, words, allowed, out, [](std::uint64_t x) { return std::popcount(x); });
}

struct VectorIndex::Query {
  std::vector<std::int8_t> code;
  std::vector<std::uint64_t> signs;
  float scale = 0;
};

bool VectorIndex::add(std::int64_t id, std::span<const float> vector) {
  if (vector.size() != m_dimensions) return false;
  if (size() > 0 && id <= last_id()) return false;
  const std::size_t offset = m_codes.size();
  m_codes.resize(offset + m_dimensions);
  const auto code = std::span<std::int8_t>(m_codes).subspan(offset, m_dimensions);
  m_scales.push_back(quantize(vector, code));
  m_signs.resize(m_signs.size() + sign_words(m_dimensions));
  set_signs(code, m_signs.data() + m_signs.size() - sign_words(m_dimensions));
  m_ids.push_back(id);
  return true;
}

std::int64_t VectorIndex::last_id() const {
  if (!m_ids.empty()) return m_ids.back();
  return m_base.count > 0 ? m_base.ids[m_base.count - 1] : 0;
}

std::size_t VectorIndex::memory_bytes() const {
  const std::size_t per_row = m_dimensions + sizeof(float) + sizeof(std::int64_t) + 8 * sign_words(m_dimensions);
  return size() * per_row;
}

std::vector<VectorRows> VectorIndex::segments() const {
  return {m_base, VectorRows{m_ids.data(), m_scales.data(), m_signs.data(), m_codes.data(), m_ids.size()}};
}

const std::int8_t* VectorIndex::codes_at(std::size_t position) const {
  if (position < m_base.count) return m_base.codes + position * m_dimensions;
  return m_codes.data() + (position - m_base.count) * m_dimensions;
}

float VectorIndex::scale_at(std::size_t position) const {
  return position < m_base.count ? m_base.scales[position] : m_scales[position - m_base.count];
}

std::int64_t VectorIndex::id_at(std::size_t position) const {
  return position < m_base.count ? m_base.ids[position] : m_ids[position - m_base.count];
}

// The k best of the given positions (ascending), scored with int8.
std::vector<VectorHit> VectorIndex::best_of(const Query& query, std::span<const std::size_t> positions,
                                            std::size_t k) const {
  // Min-heap of (score, position): the worst of the best k on top.
  using Entry = std::pair<float, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> best;
  for (std::size_t i : positions) {
    const float score = static_cast<float>(dot_int8(query.code.data(), codes_at(i), m_dimensions)) * scale_at(i);
    if (best.size() < k) {
      best.emplace(score, i);
    } else if (score > best.top().first) {
      best.pop();
      best.emplace(score, i);
    }
  }
  std::vector<VectorHit> hits(best.size());
  for (std::size_t n = hits.size(); n-- > 0; best.pop()) {
    hits[n] = {id_at(best.top().second), best.top().first * query.scale};
  }
  return hits;
}

std::vector<VectorHit> VectorIndex::search_exact(std::span<const float> query, std::size_t k,
                                                 const std::vector<std::uint8_t>* allowed) const {
  if (query.size() != m_dimensions || k == 0 || size() == 0) return {};
  Query q{std::vector<std::int8_t>(m_dimensions), {}, 0};
  q.scale = quantize(query, q.code);
  std::vector<std::size_t> positions;
  positions.reserve(allowed == nullptr ? size() : 1024);
  for (std::size_t i = 0; i < size(); ++i) {
    if (allowed == nullptr || (*allowed)[i] != 0) positions.push_back(i);
  }
  return best_of(q, positions, k);
}

std::vector<VectorHit> VectorIndex::search(std::span<const float> query, std::size_t k,
                                           const std::vector<std::uint8_t>* allowed, std::size_t shortlist_for) const {
  const std::size_t shortlist =
      std::max({m_options.shortlist_min, m_options.shortlist_factor * (shortlist_for > 0 ? shortlist_for : k), k});
  const std::size_t candidates = allowed == nullptr
                                     ? size()
                                     : static_cast<std::size_t>(std::count_if(allowed->begin(), allowed->end(),
                                                                              [](std::uint8_t a) { return a != 0; }));
  // Few rows to score (a small index, or filters that allow few): score them all.
  if (candidates <= std::max(m_options.exact_below, shortlist)) return search_exact(query, k, allowed);
  if (query.size() != m_dimensions || k == 0) return {};
  const std::size_t words = sign_words(m_dimensions);
  Query q{std::vector<std::int8_t>(m_dimensions), std::vector<std::uint64_t>(words), 0};
  q.scale = quantize(query, q.code);
  set_signs(q.code, q.signs.data());
  std::vector<std::uint16_t> distance(size());
  std::size_t offset = 0;
  for (const auto& segment : segments()) {
    const std::uint8_t* mask = allowed != nullptr ? allowed->data() + offset : nullptr;
    ternary_distances(segment.signs, segment.count, q.signs.data(), words, mask, distance.data() + offset);
    offset += segment.count;
  }
  // The distance below which `shortlist` rows fall (ties at it fill up).
  const std::size_t farthest = 64 * words;  // masked rows (0xFFFF) land past it
  std::vector<std::size_t> histogram(farthest + 2, 0);
  for (std::uint16_t d : distance) ++histogram[std::min<std::size_t>(d, farthest + 1)];
  std::size_t cut = 0;
  std::size_t below = 0;  // rows closer than cut
  for (; cut <= farthest && below + histogram[cut] < shortlist; ++cut) below += histogram[cut];
  std::size_t ties = cut <= farthest ? shortlist - below : 0;  // rows at cut still wanted
  std::vector<std::size_t> positions;
  positions.reserve(shortlist);
  for (std::size_t i = 0; i < distance.size(); ++i) {
    if (distance[i] < cut) {
      positions.push_back(i);
    } else if (distance[i] == cut && ties > 0) {
      positions.push_back(i);
      --ties;
    }
  }
  return best_of(q, positions, k);
}

namespace {

// The first position at or after `from` whose id is >= id: a galloping
// search, so ascending ids cost about the log of their gaps, not of the
// whole index (and stay near the cache lines the last one read).
std::size_t gallop(std::span<const std::int64_t> ids, std::size_t from, std::int64_t id) {
  std::size_t step = 1;
  std::size_t high = from;
  while (high < ids.size() && ids[high] < id) {
    from = high + 1;
    high += step;
    step *= 2;
  }
  const auto end = ids.begin() + static_cast<std::ptrdiff_t>(std::min(high, ids.size()));
  return static_cast<std::size_t>(std::lower_bound(ids.begin() + static_cast<std::ptrdiff_t>(from), end, id) -
                                  ids.begin());
}

}  // namespace

std::vector<std::uint8_t> VectorIndex::positions_of(std::span<const std::int64_t> ids) const {
  std::vector<std::uint8_t> mask(size(), 0);
  const auto base = std::span<const std::int64_t>(m_base.ids, m_base.count);
  const auto tail = std::span<const std::int64_t>(m_ids);
  std::size_t in_base = 0;
  std::size_t in_tail = 0;
  std::int64_t previous = std::numeric_limits<std::int64_t>::min();
  for (std::int64_t id : ids) {
    if (id < previous) in_base = in_tail = 0;  // out of order: search from the start again
    previous = id;
    in_base = gallop(base, in_base, id);
    if (in_base < base.size() && base[in_base] == id) {
      mask[in_base] = 1;
      continue;
    }
    in_tail = gallop(tail, in_tail, id);
    if (in_tail < tail.size() && tail[in_tail] == id) mask[m_base.count + in_tail] = 1;
  }
  return mask;
}

}  // namespace cmdai::semantic
