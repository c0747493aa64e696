#pragma once
// The question the editor asks when it is left with unsaved changes: a small
// window with a menu - Save / Discard / Cancel - answered with the arrow keys
// and Enter, or s, d, c (Esc and q cancel). Needs an initialised screen.

namespace cmdai::tui {

enum class QuitChoice { save, discard, cancel };

QuitChoice ask_quit_dialog();

}  // namespace cmdai::tui
