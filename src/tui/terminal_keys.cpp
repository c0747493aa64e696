#include "tui/terminal_keys.h"

#include <array>
#include <optional>
#include <utility>

#include "core/utf8.h"

namespace cmdai::tui {
namespace {

constexpr char k_escape = '\x1b';

// The bytes a lead byte says its character takes (1 for ASCII and for bytes
// that start nothing, which are then dropped as invalid).
std::size_t expected_length(unsigned char lead) {
  if (lead >= 0xF8) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

Key simple(KeyCode code) { return Key{code, {}, 0}; }

Key control_key(unsigned char byte) {
  switch (byte) {
    case '\r':
    case '\n': return simple(KeyCode::enter);
    case '\t': return simple(KeyCode::tab);
    case 0x7F:
    case 0x08: return simple(KeyCode::backspace);
    default: break;
  }
  if (byte >= 1 && byte <= 26) return Key{KeyCode::ctrl, {}, static_cast<char>('a' + byte - 1)};
  return simple(KeyCode::unknown);
}

// The key a complete CSI or SS3 sequence's final byte (and number) names.
Key sequence_key(char final, std::string_view number) {
  if (final == '~') {
    static const std::array<std::pair<std::string_view, KeyCode>, 8> k_tilde{{{"1", KeyCode::home},
                                                                              {"7", KeyCode::home},
                                                                              {"4", KeyCode::end},
                                                                              {"8", KeyCode::end},
                                                                              {"3", KeyCode::delete_key},
                                                                              {"5", KeyCode::page_up},
                                                                              {"6", KeyCode::page_down},
                                                                              {"2", KeyCode::unknown}}};
    for (const auto& [digits, code] : k_tilde) {
      if (digits == number) return simple(code);
    }
    return simple(KeyCode::unknown);
  }
  switch (final) {
    case 'A': return simple(KeyCode::up);
    case 'B': return simple(KeyCode::down);
    case 'C': return simple(KeyCode::right);
    case 'D': return simple(KeyCode::left);
    case 'H': return simple(KeyCode::home);
    case 'F': return simple(KeyCode::end);
    case 'Z': return simple(KeyCode::unknown);  // Shift-Tab
    default: return simple(KeyCode::unknown);
  }
}

// An escape sequence at the front of pending: the key and the bytes it
// took, or nullopt when more bytes are needed.
std::optional<std::pair<Key, std::size_t>> escape_sequence(std::string_view pending) {
  if (pending.size() < 2) return std::nullopt;
  const char kind = pending[1];
  if (kind != '[' && kind != 'O') return std::pair{simple(KeyCode::unknown), std::size_t{2}};  // Alt-<key>
  for (std::size_t at = 2; at < pending.size(); ++at) {
    const auto byte = static_cast<unsigned char>(pending[at]);
    if (byte >= 0x40 && byte <= 0x7E) {
      // Parameters before the final byte: "1;5" for Ctrl-arrows is read as the arrow.
      std::string_view number = pending.substr(2, at - 2);
      number = number.substr(0, number.find(';'));
      return std::pair{sequence_key(static_cast<char>(byte), number), at + 1};
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<Key> decode_keys(std::string& pending, bool at_end) {
  std::vector<Key> keys;
  std::size_t at = 0;
  while (at < pending.size()) {
    const auto byte = static_cast<unsigned char>(pending[at]);
    const std::string_view rest = std::string_view(pending).substr(at);
    if (byte == k_escape) {
      if (auto sequence = escape_sequence(rest)) {
        keys.push_back(sequence->first);
        at += sequence->second;
        continue;
      }
      if (!at_end) break;
      keys.push_back(simple(rest.size() == 1 ? KeyCode::escape : KeyCode::unknown));
      at = pending.size();
      continue;
    }
    if (byte < 0x20 || byte == 0x7F) {
      keys.push_back(control_key(byte));
      ++at;
      continue;
    }
    const std::size_t want = expected_length(byte);
    if (rest.size() < want && !at_end) break;
    const std::size_t valid = utf8_sequence(rest, 0);
    if (valid == 0) {
      ++at;  // a byte that starts no character: dropped
      continue;
    }
    keys.push_back(Key{KeyCode::text, std::string(rest.substr(0, valid)), 0});
    at += valid;
  }
  pending.erase(0, at);
  return keys;
}

}  // namespace cmdai::tui
