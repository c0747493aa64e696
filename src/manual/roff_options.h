#pragma once
// What a man page says about a program's options, read from its roff text:
// the tagged paragraphs (.TP, .IP, .TQ; mdoc's .It Fl) in any section, each
// tag's flags and the first sentence of its paragraph, and the one-line
// summary of the NAME section. Pages in man(7) and the common mdoc(7)
// macros are understood; anything else is skipped, never an error.

#include <map>
#include <string>
#include <string_view>

namespace cmdai::manual {

struct OptionText {
  std::string description;   // first sentence, plain text
  bool takes_value = false;  // the tag names a value: "-C DIR", "--width=COLS"
};

struct PageOptions {
  std::string summary;                        // "list directory contents"
  std::map<std::string, OptionText> options;  // "-l", "--all" -> what they do
};

PageOptions parse_roff_options(std::string_view roff);

// roff escapes and font changes removed: "\fB\-l\fR" -> "-l".
std::string plain_text(std::string_view roff_text);

}  // namespace cmdai::manual
