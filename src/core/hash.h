#pragma once
// FNV-1a, 64-bit: the one string hash for keys that must not change between
// versions (ids derived from content, embedding cache keys, n-gram buckets).
// Not for anything an attacker chooses to collide.

#include <cstdint>
#include <string_view>

namespace cmdai {

inline constexpr std::uint64_t k_fnv_offset_basis = 0xcbf29ce484222325ULL;

// FNV-1a over bytes, starting from `basis`; callers that need independent
// hashes of the same bytes start from different bases.
constexpr std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t basis = k_fnv_offset_basis) {
  std::uint64_t hash = basis;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace cmdai
