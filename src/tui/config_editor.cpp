#include "tui/config_editor.h"

#include <form.h>
#include <menu.h>
#include <ncurses.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config_watcher.h"
#include "config/document.h"
#include "core/log.h"
#include "core/utf8.h"
#include "tui/quit_dialog.h"
#include "tui/text_columns.h"
#include "tui/text_input.h"

namespace cmdai::tui {
namespace {

constexpr int k_min_lines = 24;
constexpr int k_min_cols = 80;
constexpr int k_label_col = 2;
constexpr int k_value_col = 26;
constexpr int k_message_col = 6;
constexpr int k_first_row = 3;
constexpr int k_ctrl_s = 19;
constexpr int k_ctrl_c = 3;
constexpr int k_ctrl_u = 21;
constexpr int k_escape = 27;
constexpr int k_poll_ms = 200;

// The section bar; the full section name is in the title line.
constexpr std::array<const char*, 4> k_tab_names{"1 Backend", "2 History", "3 Safety", "4 UI"};

enum Pair : short { pair_error = 1, pair_note = 2, pair_title = 3 };

bool is_choice(const Row& row) { return row.kind == RowKind::choice || row.kind == RowKind::instance; }

// Rows that take typed text.
bool is_typed(const Row& row) {
  return row.kind == RowKind::text || row.kind == RowKind::probe || row.kind == RowKind::new_instance;
}

// What a row's field shows: choices between arrows, text as typed.
std::string shown(const Row& row) {
  if (!is_choice(row)) return row.text;
  return "< " + (row.text.empty() ? std::string("(not set)") : row.text) + " >";
}

std::string fit(const std::string& text, int width) { return fit_columns(text, width); }

// The editor on the real terminal: draws EditorModel with a form per section
// and a menu for the section bar, and feeds it keys.
class EditorScreen {
 public:
  EditorScreen(Env& env, EditorOptions options)
      : m_env(env),
        m_options(std::move(options)),
        m_model(m_options.file_state, m_options.effective.origins, m_options.rate_command),
        m_watcher(env, m_options.config_file, {}, config::WatchedLayers::file_only),
        m_file_changes(
            m_watcher.live().subscribe([this](const config::ConfigChange& change) { m_external.push_back(change); })) {}
  ~EditorScreen() { close(); }
  EditorScreen(const EditorScreen&) = delete;
  EditorScreen& operator=(const EditorScreen&) = delete;

  void open() {
    use_utf8_locale();  // TOML files are UTF-8
    initscr();
    raw();
    noecho();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    timeout(k_poll_ms);  // getch gives ERR after this long without a key: time to look at the file
    m_color = has_colors() && !m_env.get_var("NO_COLOR") && m_options.effective.state.color_output;
    if (m_color) {
      start_color();
      use_default_colors();
      init_pair(pair_error, COLOR_RED, -1);
      init_pair(pair_note, COLOR_YELLOW, -1);
      init_pair(pair_title, COLOR_CYAN, -1);
    }
    m_status = "editing " + m_options.config_file.string();
    build();
  }

  void run() {
    draw();
    while (true) {
      const Input key = read_input();
      if (key.timed_out) {
        if (follow_file()) draw();
        continue;
      }
      const auto start = std::chrono::steady_clock::now();
      follow_file();
      if (!handle(key)) break;
      draw();
      record(std::chrono::steady_clock::now() - start);
      notify_saved();
    }
    notify_saved();
    log_timings();
  }

 private:
  bool too_small() const { return LINES < k_min_lines || COLS < k_min_cols; }
  int field_width() const { return std::max(10, std::min(52, COLS - k_value_col - 2)); }

  void build() {
    teardown();
    erase();
    if (too_small()) return;
    const auto& rows = m_model.rows();
    for (std::size_t i = m_top; i < visible_end(); ++i) {
      FIELD* field = new_field(1, field_width(), row_y(i), k_value_col, 0, 0);
      field_opts_off(field, O_AUTOSKIP | O_STATIC);
      set_max_field(field, 4096);
      if (is_choice(rows[i])) {
        field_opts_off(field, O_EDIT);
        set_field_back(field, A_BOLD);
      } else {
        set_field_back(field, A_UNDERLINE);
      }
      set_field_buffer(field, 0, shown(rows[i]).c_str());
      m_fields.push_back(field);
    }
    m_fields.push_back(nullptr);
    m_form = new_form(m_fields.data());
    set_form_win(m_form, stdscr);
    set_form_sub(m_form, stdscr);
    post_form(m_form);  // clears its window (stdscr), so the section bar comes after it
    build_tabs();
    touchwin(stdscr);  // the section bar was drawn through a subwindow
    refresh_fields();
    focus_field();
  }

  void build_tabs() {
    for (auto name : k_tab_names) m_tab_items.push_back(new_item(name, ""));
    m_tab_items.push_back(nullptr);
    m_tabs = new_menu(m_tab_items.data());
    m_tab_window = derwin(stdscr, 1, COLS - 2, 1, 1);
    set_menu_win(m_tabs, m_tab_window);
    set_menu_sub(m_tabs, m_tab_window);
    set_menu_format(m_tabs, 1, static_cast<int>(config::section_names().size()));
    set_menu_mark(m_tabs, " ");
    menu_opts_off(m_tabs, O_SHOWDESC);
    post_menu(m_tabs);
    set_current_item(m_tabs, m_tab_items[m_model.section()]);
  }

  void teardown() {
    if (m_form != nullptr) {
      unpost_form(m_form);
      free_form(m_form);
      m_form = nullptr;
    }
    for (FIELD* field : m_fields) {
      if (field != nullptr) free_field(field);
    }
    m_fields.clear();
    if (m_tabs != nullptr) {
      unpost_menu(m_tabs);
      free_menu(m_tabs);
      m_tabs = nullptr;
    }
    for (ITEM* item : m_tab_items) {
      if (item != nullptr) free_item(item);
    }
    m_tab_items.clear();
    if (m_tab_window != nullptr) {
      delwin(m_tab_window);
      m_tab_window = nullptr;
    }
  }

  void close() {
    if (m_closed) return;
    m_closed = true;
    teardown();
    endwin();
  }

  // Rows on screen: as many as fit between the header and the footer; the
  // list scrolls to keep the focused row among them.
  std::size_t visible_count() const { return static_cast<std::size_t>(std::max(1, (LINES - 3 - k_first_row) / 2)); }
  std::size_t visible_end() const { return std::min(m_model.rows().size(), m_top + visible_count()); }
  int row_y(std::size_t row) const { return k_first_row + 2 * static_cast<int>(row - m_top); }
  FIELD* field_of(std::size_t row) const { return m_fields[row - m_top]; }

  // The first visible row that shows the focused one, moving as little as possible.
  std::size_t top_for_focus() const {
    const std::size_t focus = m_model.focus();
    const std::size_t count = visible_count();
    std::size_t top = std::min(m_top, focus);
    if (focus >= top + count) top = focus - count + 1;
    const std::size_t rows = m_model.rows().size();
    return std::min(top, rows > count ? rows - count : 0);
  }

  // The model may have moved focus or changed section.
  void sync() {
    if (too_small()) return;
    if (m_built_section != m_model.section()) m_top = 0;
    const std::size_t top = top_for_focus();
    if (m_built_section != m_model.section() || top != m_top || m_fields.size() != visible_end() - top + 1) {
      m_built_section = m_model.section();
      m_top = top;
      build();
      return;
    }
    refresh_fields();
    focus_field();
  }

  bool editing_text() const { return is_typed(m_model.focused()); }

  // Every field shows its row; the focused text field shows the part of
  // m_input around the cursor. A newly focused row starts its input afresh.
  void refresh_fields() {
    if (m_form == nullptr) return;
    const std::pair at{m_model.section(), m_model.focus()};
    if (at != m_input_at || m_input_stale) m_input = TextInput(m_model.focused().text);
    m_input_at = at;
    m_input_stale = false;
    const auto& rows = m_model.rows();
    for (std::size_t i = m_top; i < visible_end(); ++i) {
      std::string text = fit(shown(rows[i]), field_width());
      if (i == m_model.focus() && editing_text()) text = m_input.visible(field_width(), m_cursor_column);
      set_field_buffer(field_of(i), 0, text.c_str());
    }
  }

  void focus_field() {
    if (m_form == nullptr) return;
    set_current_field(m_form, field_of(m_model.focus()));
    curs_set(editing_text() ? 1 : 0);
  }

  // Redraws what the form and menu do not own; the fields keep their cursor.
  void draw() {
    if (too_small()) {
      erase();
      mvprintw(0, 0, "cmdai config edit needs at least %dx%d (now %dx%d).", k_min_cols, k_min_lines, COLS, LINES);
      mvprintw(1, 0, "Make the window larger, or press q to quit.");
      refresh();
      return;
    }
    draw_header();
    draw_rows();
    draw_footer();
    // Rows above or below the screen (Backend Configuration at 80x24).
    if (m_top > 0) mvaddstr(2, COLS - 10, " more ^ ");
    if (visible_end() < m_model.rows().size()) mvaddstr(LINES - 3, COLS - 10, " more v ");
    pos_form_cursor(m_form);
    if (editing_text()) move(row_y(m_model.focus()), k_value_col + m_cursor_column);
    refresh();
  }

  void draw_header() {
    move(0, 0);
    clrtoeol();
    attron(A_BOLD | (m_color ? COLOR_PAIR(pair_title) : 0));
    const std::string title = "cmdai configuration - " + std::string(config::section_names()[m_model.section()]);
    mvaddstr(0, 1, title.c_str());
    attroff(A_BOLD | (m_color ? COLOR_PAIR(pair_title) : 0));
    mvhline(2, 0, ACS_HLINE, COLS);
  }

  void draw_rows() {
    const auto& rows = m_model.rows();
    const int width = COLS - k_message_col - 1;
    for (std::size_t i = m_top; i < visible_end(); ++i) {
      const Row& row = rows[i];
      const int y = row_y(i);
      const bool focused = i == m_model.focus();
      const bool nested = row.key.spec != nullptr && !row.key.instance.empty();
      mvhline(y, 0, ' ', k_value_col);
      move(y + 1, 0);
      clrtoeol();
      if (focused) attron(A_REVERSE);
      mvaddstr(y, k_label_col, fit((nested ? "  " : "") + row.label, k_value_col - k_label_col - 2).c_str());
      if (focused) attroff(A_REVERSE);
      draw_message(y + 1, width, row, focused);
    }
  }

  void draw_message(int y, int width, const Row& row, bool focused) {
    std::string text;
    int attributes = A_DIM;
    if (row.error) {
      text = "error: " + *row.error;
      attributes = A_BOLD | (m_color ? COLOR_PAIR(pair_error) : 0);
    } else if (row.kind == RowKind::probe && !m_model.probe_result().empty()) {
      text = m_model.probe_result();
      attributes = A_BOLD;
    } else if (!row.note.empty()) {
      text = "note: " + row.note;
      attributes = m_color ? COLOR_PAIR(pair_note) : A_NORMAL;
    } else if (focused) {
      text = row.help;
    }
    if (text.empty()) return;
    attron(attributes);
    mvaddstr(y, k_message_col, fit(text, width).c_str());
    attroff(attributes);
  }

  void draw_footer() {
    mvhline(LINES - 3, 0, ACS_HLINE, COLS);
    move(LINES - 2, 0);
    clrtoeol();
    std::string status = m_status;
    if (m_model.error_count() > 0) status += "  [" + std::to_string(m_model.error_count()) + " invalid]";
    if (m_model.dirty()) status += "  [unsaved changes]";
    mvaddstr(LINES - 2, 1, fit(status, COLS - 2).c_str());
    attron(A_DIM);
    mvaddstr(LINES - 1, 1,
             fit("Tab/Up/Down move  Left/Right change  PgUp/PgDn section  F2/^S save  Esc quit", COLS - 2).c_str());
    attroff(A_DIM);
  }

  // A key as get_wch reports it: a function key or control character in
  // key, or one typed (wide) character in text.
  struct Input {
    int key = 0;
    wchar_t text = 0;
    bool timed_out = false;
  };

  static Input read_input() {
    wint_t ch = 0;
    const int kind = get_wch(&ch);
    if (kind == ERR) return {0, 0, true};
    if (kind == KEY_CODE_YES) return {static_cast<int>(ch), 0, false};
    if (ch < 32 || ch == 127) return {static_cast<int>(ch), 0, false};  // Tab, Enter, Esc, ^S, Backspace
    return {0, static_cast<wchar_t>(ch), false};
  }

  // false: leave the editor.
  bool handle(const Input& input) {
    if (input.text != 0) return handle_text(input.text);
    const int key = input.key;
    if (key == KEY_RESIZE) {
      m_built_section = static_cast<std::size_t>(-1);
      sync();
      return true;
    }
    if (too_small()) return key != 'q' && key != k_escape && key != k_ctrl_c;
    m_status = "editing " + m_options.config_file.string();
    const bool editing = editing_text();
    if (handle_instance_key(key)) return true;
    switch (key) {
      case k_escape:
      case k_ctrl_c: return !want_quit();
      case KEY_F(2):
      case k_ctrl_s: save(); return true;
      case '\t':
      case KEY_DOWN:
      case '\n':
      case '\r':
      case KEY_ENTER: m_model.focus_next(); break;
      case KEY_BTAB:
      case KEY_UP: m_model.focus_previous(); break;
      case KEY_NPAGE: m_model.set_section(m_model.section() + 1); break;
      case KEY_PPAGE: m_model.set_section(m_model.section() + config::section_names().size() - 1); break;
      default:
        if (!editing) return handle_choice_key(key);
        edit(key);
        return true;
    }
    sync();
    return true;
  }

  // Enter on the add-instance row adds it; Delete on the instance row
  // removes the instance shown. false: not such a key.
  bool handle_instance_key(int key) {
    const Row& row = m_model.focused();
    const bool enter = key == '\n' || key == '\r' || key == KEY_ENTER;
    if (enter && row.kind == RowKind::new_instance && !row.text.empty()) {
      if (auto problem = m_model.add_instance()) {
        m_status = "not added: " + *problem;
      } else {
        m_status = "added instance " + m_model.instance() + ": set its type, endpoint and model; F2 saves";
      }
    } else if (key == KEY_DC && row.kind == RowKind::instance) {
      auto removed = m_model.remove_instance();
      m_status = removed ? *removed : "not removed: " + removed.error().message;
    } else {
      return false;
    }
    sync();
    return true;
  }

  bool handle_text(wchar_t text) {
    if (too_small()) return text != L'q';
    m_status = "editing " + m_options.config_file.string();
    if (!editing_text()) {
      if (text == L'q') return !want_quit();
      if (text == L' ') m_model.cycle(1);
      sync();
      return true;
    }
    // Any character, in any script: paths and model names need not be ASCII.
    m_input.insert(encode_utf8(static_cast<char32_t>(text)));
    m_model.set_text(m_input.text());
    refresh_fields();
    return true;
  }

  bool handle_choice_key(int key) {
    if (key == KEY_LEFT) m_model.cycle(-1);
    if (key == KEY_RIGHT) m_model.cycle(1);
    sync();
    return true;
  }

  void edit(int key) {
    switch (key) {
      case KEY_LEFT: m_input.left(); break;
      case KEY_RIGHT: m_input.right(); break;
      case KEY_HOME: m_input.home(); break;
      case KEY_END: m_input.end(); break;
      case KEY_DC: m_input.erase_at(); break;
      case k_ctrl_u: m_input.clear(); break;
      case KEY_BACKSPACE:
      case 127:
      case 8: m_input.erase_before(); break;
      default: return;  // other control keys and function keys do nothing here
    }
    if (m_input.text() != m_model.focused().text) m_model.set_text(m_input.text());
    refresh_fields();
  }

  void save() {
    if (m_model.error_count() > 0) {
      m_status = "not saved: fix the " + std::to_string(m_model.error_count()) + " field(s) marked error first";
      return;
    }
    auto doc = config::ConfigDocument::open(m_env, m_options.config_file);
    if (!doc) {
      m_status = "not saved: " + doc.error().describe();
      return;
    }
    doc->set_changed(m_model.saved(), m_model.edited());
    if (auto saved = doc->save(m_env); !saved) {
      m_status = "not saved: " + saved.error().describe();
      return;
    }
    if (!m_saved_before) m_saved_before = m_model.saved();
    m_model.mark_saved();
    m_watcher.poll();  // our own save: not a change made elsewhere
    m_external.clear();
    m_status = "saved " + m_options.config_file.string();
  }

  // Another process (cmdai config set, a text editor) changed the file:
  // take its values for the keys not edited here. true when it changed.
  bool follow_file() {
    m_watcher.poll();
    if (m_external.empty()) return false;
    const std::vector<config::ConfigChange> changes = std::exchange(m_external, {});
    const auto kept = m_model.merge_external(m_watcher.live().snapshot());
    m_status = m_options.config_file.filename().string() + " changed elsewhere: " + changes[0].field_name + " = " +
               changes[0].new_value;
    if (changes.size() > 1) m_status += " (and " + std::to_string(changes.size() - 1) + " more)";
    if (!kept.empty()) m_status += "; your edit of " + kept[0] + " is kept";
    m_built_section = static_cast<std::size_t>(-1);
    m_input_stale = true;
    sync();
    return true;
  }

  // Subscribers hear of a save after the screen says "saved": the audit
  // trail's SQLite commit must not delay the redraw.
  void notify_saved() {
    if (!m_saved_before) return;
    if (m_options.on_saved) m_options.on_saved(*m_saved_before);
    m_saved_before.reset();
  }

  // true: leave.
  bool want_quit() {
    if (!m_model.dirty()) return true;
    switch (ask_quit_dialog()) {
      case QuitChoice::save: save(); return !m_model.dirty();
      case QuitChoice::discard: return true;
      case QuitChoice::cancel: return false;
    }
    return false;
  }

  void record(std::chrono::steady_clock::duration took);
  void log_timings() const;

  Env& m_env;
  EditorOptions m_options;
  EditorModel m_model;
  bool m_color = false;
  bool m_closed = false;
  std::string m_status;
  FORM* m_form = nullptr;
  std::vector<FIELD*> m_fields;
  MENU* m_tabs = nullptr;
  std::vector<ITEM*> m_tab_items;
  WINDOW* m_tab_window = nullptr;
  std::size_t m_built_section = 0;
  std::size_t m_top = 0;  // the first row on screen
  std::vector<std::int64_t> m_timings_us;
  std::optional<config::ConfigurationState> m_saved_before;  // saved, subscribers not told yet
  config::ConfigWatcher m_watcher;                           // the file, as other processes change it
  std::vector<config::ConfigChange> m_external;              // published by m_watcher, not merged yet
  config::LiveConfiguration::Subscription m_file_changes;
  TextInput m_input;                                                                // the focused text field's line
  std::pair<std::size_t, std::size_t> m_input_at{static_cast<std::size_t>(-1), 0};  // its section and row
  bool m_input_stale = true;                                                        // reload m_input from the model
  int m_cursor_column = 0;                                                          // in the focused field
};

void EditorScreen::record(std::chrono::steady_clock::duration took) {
  m_timings_us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
}

void EditorScreen::log_timings() const {
  if (m_timings_us.empty()) return;
  std::vector<std::int64_t> sorted = m_timings_us;
  std::sort(sorted.begin(), sorted.end());
  log::info("tui: " + std::to_string(sorted.size()) + " keys handled and redrawn; median " +
            std::to_string(sorted[sorted.size() / 2]) + " us, max " + std::to_string(sorted.back()) + " us");
}

}  // namespace

Result<void> run_config_editor(Env& env, EditorOptions options) {
  if (!env.is_terminal(0) || !env.is_terminal(1)) {
    return fail(ErrorCode::unavailable, "the configuration editor needs a terminal",
                "use 'cmdai config set KEY VALUE' instead; 'cmdai config reference' lists the keys");
  }
  EditorScreen screen(env, std::move(options));
  screen.open();
  screen.run();
  return {};
}

}  // namespace cmdai::tui
