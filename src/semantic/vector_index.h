#pragma once
// VectorIndex: unit vectors quantised to int8 and searched by brute force.
//
// Each vector v is stored as round(v / s * 127) with s = max|v_i| (one float
// scale per row), so 384 dimensions take 388 bytes, plus two bits per
// dimension for the prefilter (96 bytes). A query is quantised the same way; the score of a
// row is dot(q_query, q_row) * s_query * s_row / 127^2, an estimate of the
// cosine similarity (within ~0.01 for 384-dim unit vectors).
//
// Small indexes (at most IndexOptions::exact_below rows), and searches
// whose filters allow at most that many rows or the shortlist's size, score
// every allowed row with an AVX2 int8 kernel (portable 16-accumulator loop without it).
// Larger ones first rank every row by a ternary dot product: each value is
// +1, -1 or 0 (|code| below k_ternary_threshold), kept as two bit sets
// (positive, negative; 96 bytes for 384 dimensions), and
// agree - disagree is two popcounts per 64 dimensions. Then the best
// max(shortlist_min, shortlist_factor * k) rows are scored exactly with
// int8 and the k best kept: the scan reads 96 instead of 388 bytes per row.
// (Plain sign bits were tried first: sparse vectors, whose many zeros all
// read as "negative", lost most of the true top 100.) Scores are always the
// exact int8 scores; only which rows get scored is approximate
// (bench/semantic_bench.cpp measures how much of the full scan's top 100
// the prefilter keeps).
//
// Rows live in up to two segments: a read-only base (e.g. a mapped index
// file, see vector_file.h) and an owned tail that add() appends to.
//
// Not thread-safe for add(); search() is const and may run concurrently.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace cmdai::semantic {

struct VectorHit {
  std::int64_t id = 0;  // what add() was given (a command_history rowid)
  float score = 0;      // estimated cosine similarity, [-1, 1]
};

struct IndexOptions {
  std::size_t exact_below = 150'000;   // indexes this small are scanned in full
  std::size_t shortlist_min = 10'000;  // rows scored exactly after the prefilter
  std::size_t shortlist_factor = 100;  // ... or this many per wanted result, if more
};

// A read-only view of `count` rows in the index layout.
struct VectorRows {
  const std::int64_t* ids = nullptr;     // ascending
  const float* scales = nullptr;         // s_row / 127
  const std::uint64_t* signs = nullptr;  // sign_words(dimensions) per row: positive bits, then negative bits
  const std::int8_t* codes = nullptr;    // dimensions per row, row-major
  std::size_t count = 0;
};

// Words of ternary bits per row: (dimensions + 63) / 64 for the positive
// values, as many for the negative ones.
constexpr std::size_t sign_words(std::size_t dimensions) { return 2 * ((dimensions + 63) / 64); }
// |code| below this counts as 0 in the prefilter (of 127: ~0.6 standard
// deviations of a dense unit vector's values).
inline constexpr int k_ternary_threshold = 24;

class VectorIndex {
 public:
  explicit VectorIndex(std::size_t dimensions, IndexOptions options = {})
      : m_dimensions(dimensions), m_options(options) {}
  // An index over base (kept alive by owner, e.g. a file mapping); add()
  // appends after it. base.ids must be ascending.
  VectorIndex(std::size_t dimensions, VectorRows base, std::shared_ptr<const void> owner, IndexOptions options = {})
      : m_dimensions(dimensions), m_options(options), m_base(base), m_base_owner(std::move(owner)) {}

  // Adds a vector of dimensions() floats. Ids must increase (positions_of
  // relies on it): a vector of the wrong size or an id not above the last
  // one is ignored and returns false.
  [[nodiscard]] bool add(std::int64_t id, std::span<const float> vector);

  // The k best rows by score, best first. With allowed (one byte per row,
  // non-zero = may be returned, from positions_of), rows it excludes are not
  // scored at all: filters apply before ranking. The prefilter's shortlist
  // is sized for shortlist_for results (0: for k), so many results can be
  // taken from the shortlist a few would get (to filter them afterwards).
  std::vector<VectorHit> search(std::span<const float> query, std::size_t k,
                                const std::vector<std::uint8_t>* allowed = nullptr,
                                std::size_t shortlist_for = 0) const;
  // Every allowed row scored with int8, no prefilter: the reference search()
  // is measured against.
  std::vector<VectorHit> search_exact(std::span<const float> query, std::size_t k,
                                      const std::vector<std::uint8_t>* allowed = nullptr) const;

  // A mask for search(): 1 for each row whose id is in ids (any order;
  // ascending is fastest).
  std::vector<std::uint8_t> positions_of(std::span<const std::int64_t> ids) const;

  std::size_t size() const { return m_base.count + m_ids.size(); }
  std::size_t dimensions() const { return m_dimensions; }
  std::int64_t last_id() const;  // 0 when empty
  std::size_t base_size() const { return m_base.count; }
  std::size_t memory_bytes() const;
  // The base segment then the owned one (either may be empty).
  std::vector<VectorRows> segments() const;

 private:
  struct Query;
  std::vector<VectorHit> best_of(const Query& query, std::span<const std::size_t> positions, std::size_t k) const;
  const std::int8_t* codes_at(std::size_t position) const;
  float scale_at(std::size_t position) const;
  std::int64_t id_at(std::size_t position) const;

  std::size_t m_dimensions;
  IndexOptions m_options;
  VectorRows m_base;
  std::shared_ptr<const void> m_base_owner;
  std::vector<std::int8_t> m_codes;  // owned rows, after the base
  std::vector<float> m_scales;
  std::vector<std::uint64_t> m_signs;
  std::vector<std::int64_t> m_ids;
};

// Symmetric int8 quantisation of v into out (same length); returns s / 127.
float quantize(std::span<const float> v, std::span<std::int8_t> out);

// dot(a, b) over n int8 values; values must lie in [-127, 127].
std::int32_t dot_int8(const std::int8_t* a, const std::int8_t* b, std::size_t n);
// The portable kernel, exposed so tests can check the two kernels agree.
std::int32_t dot_int8_portable(const std::int8_t* a, const std::int8_t* b, std::size_t n);

// For each of n rows of `words` ternary words (sign_words): half_bits -
// (agree - disagree) with the query, in [0, 2 * half_bits] where half_bits
// = 32 * words; lower is more similar. Rows with allowed[i] == 0 get 0xFFFF.
void ternary_distances(const std::uint64_t* rows, std::size_t n, const std::uint64_t* query, std::size_t words,
                       const std::uint8_t* allowed, std::uint16_t* out);

}  // namespace cmdai::semantic
