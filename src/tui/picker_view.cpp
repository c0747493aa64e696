#include "tui/picker_view.h"

#include <algorithm>

#include "core/terminal_text.h"
#include "tui/text_columns.h"

namespace cmdai::tui {
namespace {

constexpr std::string_view k_reset = "\x1b[0m";
constexpr std::string_view k_reverse = "\x1b[7m";
constexpr std::string_view k_default_color = "\x1b[39m\x1b[22m";  // keeps reverse video on
constexpr std::string_view k_dim = "\x1b[2m";
constexpr std::string_view k_red = "\x1b[31m";
constexpr std::string_view k_yellow = "\x1b[33m";
constexpr std::string_view k_bold_red = "\x1b[1m\x1b[31m";
constexpr std::string_view k_cyan = "\x1b[36m";

constexpr int k_prefix_columns = 21;  // marker 2, favourite 2, age 5, duration 7, exit 5
constexpr int k_min_directory_width = 40;

std::string pad_left(const std::string& text, int width) {
  const int used = columns(text);
  return used >= width ? text : std::string(static_cast<std::size_t>(width - used), ' ') + text;
}

std::string pad_right(std::string text, int width) {
  text = take_columns(text, width);
  const int used = columns(text);
  if (used < width) text.append(static_cast<std::size_t>(width - used), ' ');
  return text;
}

// A piece of a line in a colour, when colours are on.
std::string colored(const std::string& text, std::string_view color, bool on) {
  if (!on || color.empty() || text.empty()) return text;
  return std::string(color) + text + std::string(k_default_color);
}

std::string_view risk_color(RiskLevel risk) {
  switch (risk) {
    case RiskLevel::safe: return "";
    case RiskLevel::moderate: return k_yellow;
    case RiskLevel::high: return k_red;
    case RiskLevel::critical: return k_bold_red;
  }
  return "";
}

std::string shown_directory(const std::string& directory, const std::string& home) {
  if (!home.empty() && (directory == home || directory.starts_with(home + "/"))) {
    return "~" + directory.substr(home.size());
  }
  return directory;
}

std::string exit_text(const PickerRow& row) { return row.exit_code ? std::to_string(*row.exit_code) : ""; }

std::string row_line(const PickerRow& row, bool selected, const PickerViewOptions& options, int width) {
  const bool color = options.color;
  std::string line = selected ? std::string(k_reverse) + "> " : "  ";
  line += row.favorite ? "* " : "  ";
  line += colored(pad_left(time_ago(row.when, options.now), 4), k_dim, color) + " ";
  line += colored(pad_left(format_duration(row.duration), 6), k_dim, color) + " ";
  const std::string status = pad_left(exit_text(row), 3);
  line += colored(status, row.exit_code.value_or(0) != 0 ? k_red : k_dim, color) + "  ";
  int rest = std::max(0, width - k_prefix_columns);
  std::string directory;
  if (width >= k_min_directory_width * 2) {
    directory = terminal_text(shown_directory(row.directory, options.home));
    directory = fit_columns(directory, std::min(columns(directory), width / 4));
    rest -= columns(directory) + 1;
  }
  line += colored(pad_right(fit_columns(terminal_text(row.command), rest), rest), risk_color(row.risk), color);
  if (!directory.empty()) line += " " + colored(directory, k_cyan, color);
  return line + std::string(k_reset);
}

std::string query_line(PickerModel& model, int width, int& cursor_column) {
  std::string right = " [" + std::string(to_string(model.mode())) + "] " + std::to_string(model.rows().size());
  if (width - 2 - columns(right) < 4) right.clear();
  const int field = std::max(1, width - 2 - columns(right));
  const std::string visible = model.input().visible(field, cursor_column);
  cursor_column += 2;
  return "> " + pad_right(visible, field) + right;
}

std::string help_line(const PickerModel& model, const PickerViewOptions& options, int width) {
  std::string text = options.note.empty() ? model.status() : options.note;
  if (text.empty()) {
    text = options.enter_runs ? "Enter run  Tab edit  Esc back  ^R mode  ^F favorite"
                              : "Enter/Tab edit  Esc back  ^R mode  ^F favorite";
  }
  return colored(pad_right(fit_columns(terminal_text(text), width), width), k_dim, options.color) +
         std::string(k_reset);
}

}  // namespace

std::size_t picker_list_height(int height) { return static_cast<std::size_t>(std::max(1, height - 2)); }

PickerFrame render_picker(PickerModel& model, const PickerViewOptions& options, int width, int height) {
  PickerFrame frame;
  width = std::max(width, 1);
  frame.lines.push_back(query_line(model, width, frame.cursor_column));
  const std::size_t list = picker_list_height(height);
  const auto& rows = model.rows();
  for (std::size_t i = 0; i < list; ++i) {
    frame.lines.push_back(i < rows.size() ? row_line(rows[i], i == model.selected(), options, width)
                                          : std::string(static_cast<std::size_t>(width), ' '));
  }
  if (height >= 2) frame.lines.push_back(help_line(model, options, width));
  frame.cursor_column = std::min(frame.cursor_column, width - 1);
  return frame;
}

}  // namespace cmdai::tui
