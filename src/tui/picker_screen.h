#pragma once
// The history picker on the terminal: draws a PickerModel on /dev/tty (so
// the caller's stdout stays free for the chosen command, which the shell
// widgets capture) and feeds it keys until a row is chosen or the picker
// is left.
//
// Full screen (the alternate screen; the shell's screen comes back as it
// was) or inline: `lines` lines from the prompt's line down, erased on exit.
// Each key is handled and the lines that changed are written in one write;
// nothing is debounced (a paste is one search).
//
// Keys: typing edits the query (Left/Right, Home/End, ^A/^E, Backspace,
// Delete, ^U clears it); Up/Down, ^P/^N and PgUp/PgDn move the selection;
// ^R cycles the filter mode; ^F marks the selection favourite (or unmarks
// it); Enter runs it (edits it when enter_runs is off); Tab puts it on the
// prompt to edit; Esc, ^C and ^G leave without a choice.
//
// Signals: SIGTERM, SIGHUP and SIGINT are blocked while the picker runs and
// read in its key loop; one of them leaves the picker as Esc does (the
// terminal's mode and screen given back) and is then delivered again with
// its default action, so the process ends by it (exit status 128 + signal)
// and the shell widget leaves the line as it was. A signal sent while a
// search runs is taken when the search returns.

#include <functional>
#include <optional>

#include "core/error.h"
#include "tui/picker_model.h"
#include "tui/picker_view.h"

namespace cmdai::tui {

struct PickerScreenOptions {
  PickerViewOptions view;            // view.now is refreshed from clock before each frame
  int lines = 0;                     // 0: full screen; N: inline, N lines (at least 3, at most the screen)
  PickerFavorite favorite;           // ^F
  std::function<Timestamp()> clock;  // empty: the system clock
};

// nullopt: left without a choice (Esc, ^C, ^G, Enter with no rows).
// Errors: unavailable when there is no terminal (/dev/tty cannot be opened).
// Logs how long keys took to handle and redraw (median, p95, max).
Result<std::optional<PickerChoice>> run_picker(PickerModel& model, PickerScreenOptions options);

}  // namespace cmdai::tui
