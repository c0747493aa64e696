#pragma once
// Terminal columns of UTF-8 text, for laying out labels, values and
// messages: "é" is two bytes and one column, "日" three bytes and two
// columns. Widths come from wcwidth() in the editor's UTF-8 locale; a byte
// that does not start a valid sequence counts as one column.

#include <cstddef>
#include <string>
#include <string_view>

namespace cmdai::tui {

// The length in bytes of the UTF-8 sequence at text[at] (1 for a byte that
// does not start a valid sequence; 0 at the end).
// Widths need a UTF-8 locale: the user's when it is one, else C.UTF-8 (or
// en_US.UTF-8). Full-screen views call this once before they draw.
void use_utf8_locale();

std::size_t sequence_length(std::string_view text, std::size_t at);

int columns(std::string_view text);

// The longest start of text that fits in width columns (no "...").
std::string take_columns(std::string_view text, int width);

// text cut to at most width columns, on a character boundary, ending in
// "..." when it was cut.
std::string fit_columns(std::string_view text, int width);

}  // namespace cmdai::tui
