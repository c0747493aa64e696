#pragma once
// Keys from the bytes a terminal sends in raw mode: typed UTF-8 text,
// control keys, and the escape sequences of arrows, Home/End, Delete and
// the page keys (both the CSI "\e[A" and SS3 "\eOA" forms, and "\e[1~"
// style). A lone ESC is the Escape key only when nothing follows it soon:
// the caller waits briefly and then calls decode with at_end.

#include <string>
#include <string_view>
#include <vector>

namespace cmdai::tui {

enum class KeyCode {
  text,  // Key::text holds one typed character (UTF-8)
  enter,
  tab,
  escape,
  backspace,
  delete_key,
  up,
  down,
  left,
  right,
  home,
  end,
  page_up,
  page_down,
  ctrl,     // Key::ctrl holds the letter: 'c' for Ctrl-C
  unknown,  // a sequence this decoder does not know: ignored
};

struct Key {
  KeyCode code = KeyCode::unknown;
  std::string text;  // KeyCode::text
  char ctrl = 0;     // KeyCode::ctrl: 'a'..'z'

  bool operator==(const Key&) const = default;
};

// Takes the complete keys off the front of pending and returns them. An
// incomplete escape sequence or UTF-8 character stays in pending, unless
// at_end (no more bytes came in time): then a lone ESC is Escape, an
// unfinished sequence is unknown, and a cut character is dropped.
std::vector<Key> decode_keys(std::string& pending, bool at_end);

}  // namespace cmdai::tui
