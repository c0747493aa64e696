#include "core/uuid.h"

#include <uuid/uuid.h>

#include <cctype>

namespace cmdai {

std::string make_uuid_v4() {
  uuid_t raw;
  uuid_generate_random(raw);
  char text[37];
  uuid_unparse_lower(raw, text);
  return std::string(text);
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
