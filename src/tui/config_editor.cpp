#include "tui/config_editor.h"

#include <ncurses.h>

#include <string>
#include <utility>
#include <vector>

namespace cmdai::tui {
namespace {

std::vector<std::pair<std::string, std::string>> rows(const config::ConfigurationState& s) {
  return {
      {"Backend Configuration", ""},
      {"  preferred backend", s.preferred_backend ? std::string(to_string(*s.preferred_backend)) : "auto"},
      {"History Settings", ""},
      {"  enabled", s.history_enabled ? "true" : "false"},
      {"  privacy mode", std::string(config::to_string(s.privacy_mode))},
      {"Safety Configuration", ""},
      {"  safety level", std::string(config::to_string(s.safety_level))},
      {"UI Preferences", ""},
      {"  streaming", s.streaming_enabled ? "true" : "false"},
      {"  colour", s.color_output ? "true" : "false"},
  };
}

}  // namespace

Result<void> run_config_editor(const Env& env, const config::ConfigurationState& state) {
  if (!env.is_terminal(0) || !env.is_terminal(1)) {
    return fail(ErrorCode::unavailable, "the configuration editor needs a terminal",
                "use 'cmdai config set KEY VALUE' instead");
  }
  initscr();
  cbreak();
  noecho();
  keypad(stdscr, TRUE);
  curs_set(0);
  const auto lines = rows(state);
  while (true) {
    erase();
    mvprintw(0, 0, "cmdai configuration");
    int y = 2;
    for (const auto& [label, value] : lines) {
      mvprintw(y++, 0, "%-28s %s", label.c_str(), value.c_str());
    }
    mvprintw(LINES - 1, 0, "q: quit");
    refresh();
    const int key = getch();
    if (key == 'q' || key == 27) break;
  }
  endwin();
  return {};
}

}  // namespace cmdai::tui
