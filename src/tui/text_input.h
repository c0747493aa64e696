#pragma once
// TextInput: the line being typed in a text field - UTF-8 text and a cursor
// that always sits on a character boundary, so Left, Right, Backspace and
// Delete move over or remove whole characters however many bytes they are
// ("é" is two, "日" three, "😀" four). The editor draws it; the form
// library's own line editing miscounts multi-byte characters.

#include <cstddef>
#include <string>
#include <string_view>

namespace cmdai::tui {

class TextInput {
 public:
  // The cursor starts at the end.
  explicit TextInput(std::string text = {});

  const std::string& text() const { return m_text; }
  std::size_t cursor() const { return m_cursor; }  // a byte offset on a character boundary

  // Inserts typed text (one or more whole characters) at the cursor.
  void insert(std::string_view typed);
  void erase_before();  // Backspace
  void erase_at();      // Delete
  void left();
  void right();
  void home() { m_cursor = 0; }
  void end() { m_cursor = m_text.size(); }
  void clear();

  // The part of the text to show in a field width columns wide with the
  // cursor inside it: the start of the visible part moves only as far as
  // needed. Returns the visible text; cursor_column receives where the
  // cursor is drawn, counted from the field's left edge.
  std::string visible(int width, int& cursor_column);

 private:
  std::size_t previous(std::size_t at) const;
  std::size_t next(std::size_t at) const;

  std::string m_text;
  std::size_t m_cursor = 0;
  std::size_t m_scroll = 0;  // first visible byte
};

}  // namespace cmdai::tui
