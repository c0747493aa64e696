#include "core/uuid.h"

#include <sys/random.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <random>

namespace cmdai {

namespace {

// 16 bytes from the kernel's generator (getrandom(2), as libuuid does);
// std::random_device only where the call is missing or refused.
void random_bytes(unsigned char (&raw)[16]) {
  std::size_t got = 0;
  while (got < sizeof raw) {
    const ssize_t n = ::getrandom(raw + got, sizeof raw - got, 0);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (errno != EINTR) {
      std::random_device device;
      for (; got < sizeof raw; ++got) raw[got] = static_cast<unsigned char>(device());
    }
  }
}

}  // namespace

std::string make_uuid_v4() {
  unsigned char raw[16];
  random_bytes(raw);
  raw[6] = static_cast<unsigned char>((raw[6] & 0x0f) | 0x40);  // version 4
  raw[8] = static_cast<unsigned char>((raw[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < sizeof raw; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += k_digits[raw[i] >> 4];
    text += k_digits[raw[i] & 0x0f];
  }
  return text;
}

bool is_uuid_v4(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  if (text[14] != '4') return false;
  const char variant = static_cast<char>(std::tolower(static_cast<unsigned char>(text[19])));
  return variant == '8' || variant == '9' || variant == 'a' || variant == 'b';
}

}  // namespace cmdai
