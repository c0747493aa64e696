#pragma once
// VectorIndex: unit vectors quantised to int8 and scanned by brute force.
//
// Each vector v is stored as round(v / s * 127) with s = max|v_i| (one float
// scale per row), so 384 dimensions take 388 bytes. A query is quantised the
// same way; the score of a row is dot(q_query, q_row) * s_query * s_row / 127^2,
// an estimate of the cosine similarity (within ~0.01 for 384-dim unit
// vectors). The scan is one pass over contiguous memory with an AVX2 kernel
// when the CPU has it, else a portable 16-accumulator loop.
//
// Not thread-safe for add(); search() is const and may run concurrently.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cmdai::semantic {

struct VectorHit {
  std::int64_t id = 0;  // what add() was given (a command_history rowid)
  float score = 0;      // estimated cosine similarity, [-1, 1]
};

class VectorIndex {
 public:
  explicit VectorIndex(std::size_t dimensions) : m_dimensions(dimensions) {}

  // Adds a vector of dimensions() floats. Ids must be added in increasing
  // order (positions_of relies on it); a vector of the wrong size is ignored
  // and returns false.
  bool add(std::int64_t id, std::span<const float> vector);

  // The k best rows by score, best first. With allowed (one byte per row,
  // non-zero = may be returned, from positions_of), rows it excludes are not
  // scored at all: filters apply before ranking.
  std::vector<VectorHit> search(std::span<const float> query, std::size_t k,
                                const std::vector<std::uint8_t>* allowed = nullptr) const;

  // A mask for search(): 1 for each row whose id is in ids (any order).
  std::vector<std::uint8_t> positions_of(std::span<const std::int64_t> ids) const;

  std::size_t size() const { return m_ids.size(); }
  std::size_t dimensions() const { return m_dimensions; }
  std::size_t memory_bytes() const { return m_codes.size() + m_scales.size() * sizeof(float) + m_ids.size() * 8; }

 private:
  std::size_t m_dimensions;
  std::vector<std::int8_t> m_codes;  // size() * dimensions, row-major
  std::vector<float> m_scales;       // s_row / 127 per row
  std::vector<std::int64_t> m_ids;
};

// Symmetric int8 quantisation of v into out (same length); returns s / 127.
float quantize(std::span<const float> v, std::span<std::int8_t> out);

// dot(a, b) over n int8 values; values must lie in [-127, 127].
std::int32_t dot_int8(const std::int8_t* a, const std::int8_t* b, std::size_t n);
// The portable kernel, exposed so tests can check the two kernels agree.
std::int32_t dot_int8_portable(const std::int8_t* a, const std::int8_t* b, std::size_t n);

}  // namespace cmdai::semantic
