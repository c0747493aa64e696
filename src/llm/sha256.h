#pragma once
// SHA-256 (FIPS 180-4), incremental, for verifying downloaded model files.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cmdai::llm {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // The digest as 64 lower-case hex digits; the object is spent afterwards.
  std::string hex_digest();

 private:
  void block(const unsigned char* p);

  std::array<std::uint32_t, 8> m_state;
  std::array<unsigned char, 64> m_buffer{};
  std::size_t m_buffered = 0;
  std::uint64_t m_length = 0;
};

}  // namespace cmdai::llm
