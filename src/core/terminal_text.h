#pragma once
// Text from outside cmdai (a model's command and explanation, a server's
// error body, history entries imported from shell files, file contents shown
// by doctor) made safe to write to a terminal. Such text may carry escape
// sequences that write the clipboard (OSC 52), add links (OSC 8), erase or
// rewrite lines (CSI), or swallow everything after them until a terminator
// (an unterminated OSC or DCS); carriage returns that overwrite a line; and
// bidi controls that show characters in another order than they run.
//
// terminal_text() shows every such character as a visible escape instead:
//  - C0 controls: "\e" (ESC), "\a", "\b", "\r", "\f", "\v", "\0", "\x01"…;
//    ESC itself is shown, so no sequence it starts (CSI, OSC, DCS, SOS, PM,
//    APC, terminated or not) reaches the terminal, and the rest of the
//    sequence is plain text;
//  - DEL, C1 controls (U+0080..U+009F, e.g. the one-character CSI U+009B) and the
//    bidi controls U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C:
//    "\u007f", "\u009b", "\u202e" (the JSON escape, so JSON text stays JSON);
//  - a byte that starts no valid UTF-8 sequence: U+FFFD;
//  - a newline: kept in LineBreaks::keep, shown as "\n" in LineBreaks::visible
//    (the default: a field that is one line must not be able to print a line
//    of its own, such as a fake "Risk: safe"); a tab is kept in keep and
//    becomes a space in visible.
// Everything else (printable ASCII, valid UTF-8 text) is copied unchanged, so
// ordinary text is returned as it came. The result never holds a byte below
// 0x20 other than '\n' and '\t' (and those only in LineBreaks::keep), nor
// 0x7F, nor any of the characters above.
//
// Thread safety: a pure function.

#include <string>
#include <string_view>

namespace cmdai {

enum class LineBreaks {
  visible,  // one-line fields: '\n' shown as "\n", '\t' as a space
  keep,     // multi-line text (a command with a here-document, file contents)
};

std::string terminal_text(std::string_view text, LineBreaks breaks = LineBreaks::visible);

// True when terminal_text() would return text unchanged.
bool is_terminal_safe(std::string_view text, LineBreaks breaks = LineBreaks::visible);

}  // namespace cmdai
