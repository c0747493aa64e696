#include "tui/text_input.h"

#include "tui/text_columns.h"

namespace cmdai::tui {
namespace {

bool is_continuation(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

}  // namespace

TextInput::TextInput(std::string text) : m_text(std::move(text)), m_cursor(m_text.size()) {}

std::size_t TextInput::next(std::size_t at) const {
  return at >= m_text.size() ? at : at + sequence_length(m_text, at);
}

// The start of the character before at: back over continuation bytes, but
// no further than one sequence can be long (an invalid byte stands alone).
std::size_t TextInput::previous(std::size_t at) const {
  if (at == 0) return 0;
  std::size_t start = at - 1;
  while (start > 0 && at - start < 4 && is_continuation(m_text[start])) --start;
  return next(start) == at ? start : at - 1;
}

void TextInput::insert(std::string_view typed) {
  m_text.insert(m_cursor, typed);
  m_cursor += typed.size();
}

void TextInput::erase_before() {
  const std::size_t start = previous(m_cursor);
  m_text.erase(start, m_cursor - start);
  m_cursor = start;
}

void TextInput::erase_at() { m_text.erase(m_cursor, next(m_cursor) - m_cursor); }

void TextInput::left() { m_cursor = previous(m_cursor); }

void TextInput::right() { m_cursor = next(m_cursor); }

void TextInput::clear() {
  m_text.clear();
  m_cursor = 0;
  m_scroll = 0;
}

std::string TextInput::visible(int width, int& cursor_column) {
  if (m_scroll > m_cursor) m_scroll = m_cursor;
  // One column stays free for the cursor after the last character.
  while (m_scroll < m_cursor && columns(std::string_view(m_text).substr(m_scroll, m_cursor - m_scroll)) > width - 1) {
    m_scroll = next(m_scroll);
  }
  cursor_column = columns(std::string_view(m_text).substr(m_scroll, m_cursor - m_scroll));
  return take_columns(std::string_view(m_text).substr(m_scroll), width);
}

}  // namespace cmdai::tui
