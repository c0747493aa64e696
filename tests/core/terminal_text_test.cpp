// core/terminal_text: nothing from outside reaches the terminal as a control.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/terminal_text.h"
#include "core/utf8.h"

namespace cmdai {
namespace {

// No byte a terminal acts on: C0 but '\n' (when kept), DEL, C1 and bidi
// controls as UTF-8.
bool holds_no_control(std::string_view text, LineBreaks breaks) {
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Char c = decode_utf8(text, at);
    if (!c.valid) return false;
    const bool line_break = breaks == LineBreaks::keep && (c.code == '\n' || c.code == '\t');
    if ((c.code < 0x20 && !line_break) || c.code == 0x7F || (c.code >= 0x80 && c.code <= 0x9F)) return false;
    if ((c.code >= 0x202A && c.code <= 0x202E) || (c.code >= 0x2066 && c.code <= 0x2069)) return false;
    at += c.length;
  }
  return true;
}

TEST(TerminalText, OrdinaryTextIsUnchanged) {
  for (const char* text : {"find . -name '*.pdf' -size +10M", "caf\xc3\xa9 \xe4\xbb\xa4 \xf0\x9f\x98\x80", ""}) {
    EXPECT_EQ(terminal_text(text), text);
    EXPECT_TRUE(is_terminal_safe(text));
  }
  EXPECT_EQ(terminal_text("a\nb\tc", LineBreaks::keep), "a\nb\tc");
}

TEST(TerminalText, EscapeSequencesAreShownNotSent) {
  // OSC 52 (clipboard), OSC 8 (link), CSI erase line, DCS, an unterminated OSC.
  EXPECT_EQ(terminal_text("\x1b]52;c;cm0gLXJmIH4=\x07ok"), "\\e]52;c;cm0gLXJmIH4=\\aok");
  EXPECT_EQ(terminal_text("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\"), "\\e]8;;http://evil\\e\\link\\e]8;;\\e\\");
  EXPECT_EQ(terminal_text("\x1b[2K\rRisk: safe"), "\\e[2K\\rRisk: safe");
  EXPECT_EQ(terminal_text("\x1bP1$r0m\x1b\\"), "\\eP1$r0m\\e\\");
  EXPECT_EQ(terminal_text("text\x1b]0;swallow everything after"), "text\\e]0;swallow everything after");
}

TEST(TerminalText, C1AndBidiControlsAreShownAsCodePoints) {
  EXPECT_EQ(terminal_text("a\xc2\x9b"
                          "2Kb"),
            "a\\u009b2Kb");  // the one-character CSI
  EXPECT_EQ(terminal_text("rm -rf \xe2\x80\xae/ txt"), "rm -rf \\u202e/ txt");
  EXPECT_EQ(terminal_text("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u2066x\\u2069");
  EXPECT_EQ(terminal_text(std::string("\x7f\x01\x00", 3)), "\\u007f\\x01\\0");
}

TEST(TerminalText, LineBreaksVisibleInOneLineFields) {
  EXPECT_EQ(terminal_text("lists files\n  Risk: safe - fine"), "lists files\\n  Risk: safe - fine");
  EXPECT_EQ(terminal_text("a\tb"), "a b");
  EXPECT_EQ(terminal_text("a\r\nb", LineBreaks::keep), "a\\r\nb");
}

TEST(TerminalText, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(terminal_text("a\xff"
                          "b\xc3"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

RC_GTEST_PROP(TerminalText, NoInputLeavesAControl, (const std::string& text)) {
  for (LineBreaks breaks : {LineBreaks::visible, LineBreaks::keep}) {
    const std::string out = terminal_text(text, breaks);
    RC_ASSERT(holds_no_control(out, breaks));
    RC_ASSERT(is_terminal_safe(out, breaks));
    RC_ASSERT(terminal_text(out, breaks) == out);  // showing twice changes nothing more
    RC_ASSERT(is_terminal_safe(text, breaks) == (out == text));
  }
}

}  // namespace
}  // namespace cmdai
