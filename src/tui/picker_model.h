#pragma once
// PickerModel: what the history picker (Ctrl-R with cmdai init) shows and
// edits, without any terminal: the query being typed, the filter mode, the
// rows the search found for them and the selected row. The terminal view
// (picker_screen.h) draws it and feeds it keys; tests drive it directly.
//
// The model does not know the history store: cli passes the search (and the
// favourite mark) as callbacks, so every change of the query or the mode asks
// the same engine `cmdai search` uses, synchronously, for as many rows as the
// screen shows. A search that fails keeps the rows empty and says why in
// status().

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "tui/text_input.h"

namespace cmdai::tui {

// Which entries the picker searches; Ctrl-R cycles them in this order.
enum class PickerMode { global, host, session, directory, failed };

inline constexpr std::size_t k_picker_mode_count = 5;

// "global", "this host", "this session", "this directory", "failed".
std::string_view to_string(PickerMode mode);

// One history entry as a row: what the row shows and what choosing it gives.
struct PickerRow {
  std::string id;
  std::string command;
  Timestamp when;
  std::optional<Micros> duration;  // unset: never ran (or not recorded)
  std::optional<int> exit_code;    // unset: never ran
  RiskLevel risk = RiskLevel::safe;
  std::string directory;
  bool favorite = false;
};

struct PickerQuery {
  std::string text;  // may be empty: then the newest entries
  PickerMode mode = PickerMode::global;
  std::size_t limit = 20;  // rows wanted, at most
};

// Which search found the rows: the newest entries holding the typed text
// (a walk bounded to the newest rows, a few milliseconds), or the ranked
// search over the whole history (typos, phrases, older entries).
enum class PickerSource { newest, ranked };

// "newest matches", "full search".
std::string_view to_string(PickerSource source);

struct PickerAnswer {
  std::vector<PickerRow> rows;
  PickerSource source = PickerSource::newest;
};

using PickerSearch = std::function<Result<PickerAnswer>(const PickerQuery& query)>;
// Marks (true) or unmarks the entry with this id as a favourite.
using PickerFavorite = std::function<Result<void>(const std::string& id, bool favorite)>;

// How the selection leaves the picker: run at once (Enter, when
// shell.enter_runs is on) or put on the prompt to edit (Tab).
enum class PickAction { run, edit };

struct PickerChoice {
  PickAction action = PickAction::edit;
  std::string command;
  std::string id;
};

class PickerModel {
 public:
  // Searches for query at once. limit: rows wanted (the list's height).
  PickerModel(std::string query, PickerSearch search, std::size_t limit);

  // The query line. Every edit that changes its text searches again and
  // selects the first row.
  TextInput& input() { return m_input; }
  const std::string& query() const { return m_input.text(); }
  void insert(std::string_view typed);
  void erase_before();
  void erase_at();
  void clear_query();
  void left() { m_input.left(); }
  void right() { m_input.right(); }
  void home() { m_input.home(); }
  void end() { m_input.end(); }

  PickerMode mode() const { return m_mode; }
  // The next mode (after failed: global again); searches again.
  void next_mode();

  const std::vector<PickerRow>& rows() const { return m_rows; }
  std::size_t selected() const { return m_selected; }
  // nullptr when there are no rows.
  const PickerRow* selection() const { return m_rows.empty() ? nullptr : &m_rows[m_selected]; }
  // Up (-1), Down (+1), pages; stops at the first and last row.
  void move(int delta);

  // The list's height changed (the terminal was resized): searches again
  // when more rows fit than were asked for.
  void set_limit(std::size_t limit);
  std::size_t limit() const { return m_limit; }

  // Marks the selection favourite, or unmarks it when it is one. Returns
  // what happened in words for the status line (or why it did not).
  std::string toggle_favorite(const PickerFavorite& favorite);

  // The selection and how it leaves; nullopt when there is nothing selected.
  std::optional<PickerChoice> choose(PickAction action) const;

  // Why the rows are empty (a search error, no session), or "".
  const std::string& status() const { return m_status; }
  // How many searches ran (each edit of the query, each mode change).
  std::size_t searches() const { return m_searches; }
  // Which search found the rows the last time one ran (newest when it failed).
  PickerSource source() const { return m_source; }

 private:
  void refresh();

  TextInput m_input;
  PickerSearch m_search;
  std::size_t m_limit;
  PickerMode m_mode = PickerMode::global;
  std::vector<PickerRow> m_rows;
  std::size_t m_selected = 0;
  std::string m_status;
  std::size_t m_searches = 0;
  PickerSource m_source = PickerSource::newest;
};

// A row's age as the picker shows it: "now", "45s", "12m", "3h", "5d",
// "7w", "2y" (whole units, rounded down; a time in the future is "now").
std::string time_ago(Timestamp when, Timestamp now);

// A run's duration: "850ms", "4.2s", "3m07s", "2h05m"; "" when unset.
std::string format_duration(std::optional<Micros> duration);

}  // namespace cmdai::tui
