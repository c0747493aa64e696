#include "tui/quit_dialog.h"

#include <menu.h>
#include <ncurses.h>

#include <vector>

namespace cmdai::tui {
namespace {

constexpr int k_escape = 27;

}  // namespace

// A small window with a menu: Save / Discard / Cancel.
QuitChoice ask_quit_dialog() {
  const int height = 7, width = 56;
  WINDOW* dialog = newwin(height, width, (LINES - height) / 2, (COLS - width) / 2);
  keypad(dialog, TRUE);
  box(dialog, 0, 0);
  mvwaddstr(dialog, 1, 2, "There are unsaved changes.");
  mvwaddstr(dialog, 2, 2, "s: save and quit   d: discard and quit   c: cancel");
  static const char* const names[] = {"Save", "Discard", "Cancel"};
  std::vector<ITEM*> items;
  for (const char* name : names) items.push_back(new_item(name, ""));
  items.push_back(nullptr);
  MENU* menu = new_menu(items.data());
  WINDOW* sub = derwin(dialog, 1, width - 4, 4, 2);
  set_menu_win(menu, dialog);
  set_menu_sub(menu, sub);
  set_menu_format(menu, 1, 3);
  set_menu_mark(menu, " ");
  post_menu(menu);
  curs_set(0);
  QuitChoice choice = QuitChoice::cancel;
  for (bool done = false; !done;) {
    wrefresh(dialog);
    const int key = wgetch(dialog);
    if (key == KEY_LEFT || key == KEY_BTAB) menu_driver(menu, REQ_LEFT_ITEM);
    if (key == KEY_RIGHT || key == '\t') menu_driver(menu, REQ_RIGHT_ITEM);
    if (key == '\n' || key == '\r' || key == KEY_ENTER) {
      choice = static_cast<QuitChoice>(item_index(current_item(menu)));
      done = true;
    }
    if (key == 's' || key == 'd' || key == 'c' || key == k_escape || key == 'q') {
      choice = key == 's' ? QuitChoice::save : key == 'd' ? QuitChoice::discard : QuitChoice::cancel;
      done = true;
    }
  }
  unpost_menu(menu);
  free_menu(menu);
  for (ITEM* item : items) {
    if (item != nullptr) free_item(item);
  }
  delwin(sub);
  delwin(dialog);
  touchwin(stdscr);
  return choice;
}

}  // namespace cmdai::tui
