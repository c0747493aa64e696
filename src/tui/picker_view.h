#pragma once
// The history picker's screen as lines of text, from a PickerModel: the
// query line, one line per row and a line of help or status. Pure: the
// terminal (picker_screen.h) writes the lines that changed; tests read them.
//
//   > git st                                      [global] 3
//   > *   5m   1.2s   0  git status                    ~/src/app
//        2d  850ms   1  git stash pop                 ~/src/api
//   Enter run  Tab edit  Esc back  ^R mode  ^F favorite
//
// A row: the selection marker, "*" for a favourite, how long ago it ran,
// how long it took, its exit status (red when not 0), the command in its
// risk level's colour (moderate yellow, high red, critical bold red) and the
// directory it ran in (the home directory as "~"). Every line is exactly
// width columns wide; text from history passes core/terminal_text first.

#include <string>
#include <vector>

#include "core/entities.h"
#include "tui/picker_model.h"

namespace cmdai::tui {

struct PickerViewOptions {
  bool color = true;  // SGR colours (NO_COLOR, ui.color = false: off); reverse video marks the selection either way
  std::string home;   // shown as "~" at the start of a directory; "" for none
  Timestamp now;      // for "how long ago"
  bool enter_runs = true;  // the help line says what Enter does
  std::string note;        // shown instead of the help line ("marked favorite"); "" for none
};

struct PickerFrame {
  std::vector<std::string> lines;  // height lines, each with its own SGR resets
  int cursor_row = 0;              // where the terminal's cursor goes: in the query
  int cursor_column = 0;
};

// Rows of the list for a screen height lines tall (the query and help lines
// take the other two); at least 1.
std::size_t picker_list_height(int height);

// model is not const: the query line keeps its horizontal scroll (TextInput::visible).
PickerFrame render_picker(PickerModel& model, const PickerViewOptions& options, int width, int height);

}  // namespace cmdai::tui
