#include "tui/picker_model.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace cmdai::tui {

std::string_view to_string(PickerMode mode) {
  switch (mode) {
    case PickerMode::global: return "global";
    case PickerMode::host: return "this host";
    case PickerMode::session: return "this session";
    case PickerMode::directory: return "this directory";
    case PickerMode::failed: return "failed";
  }
  return "global";
}

std::string_view to_string(PickerSource source) {
  return source == PickerSource::ranked ? "full search" : "newest matches";
}

PickerModel::PickerModel(std::string query, PickerSearch search, std::size_t limit)
    : m_input(std::move(query)), m_search(std::move(search)), m_limit(std::max<std::size_t>(1, limit)) {
  refresh();
}

void PickerModel::insert(std::string_view typed) {
  if (typed.empty()) return;
  m_input.insert(typed);
  refresh();
}

void PickerModel::erase_before() {
  const std::string before = m_input.text();
  m_input.erase_before();
  if (m_input.text() != before) refresh();
}

void PickerModel::erase_at() {
  const std::string before = m_input.text();
  m_input.erase_at();
  if (m_input.text() != before) refresh();
}

void PickerModel::clear_query() {
  if (m_input.text().empty()) return;
  m_input.clear();
  refresh();
}

void PickerModel::next_mode() {
  m_mode = static_cast<PickerMode>((static_cast<std::size_t>(m_mode) + 1) % k_picker_mode_count);
  refresh();
}

void PickerModel::move(int delta) {
  if (m_rows.empty()) return;
  const auto last = static_cast<long>(m_rows.size()) - 1;
  m_selected = static_cast<std::size_t>(std::clamp(static_cast<long>(m_selected) + delta, 0L, last));
}

void PickerModel::set_limit(std::size_t limit) {
  limit = std::max<std::size_t>(1, limit);
  const bool more = limit > m_limit;
  m_limit = limit;
  if (more) {
    refresh();
  } else if (m_rows.size() > limit) {
    m_rows.resize(limit);
    m_selected = std::min(m_selected, limit - 1);
  }
}

std::string PickerModel::toggle_favorite(const PickerFavorite& favorite) {
  if (m_rows.empty()) return "nothing selected";
  PickerRow& row = m_rows[m_selected];
  const bool mark = !row.favorite;
  if (auto done = favorite(row.id, mark); !done) return "not changed: " + done.error().message;
  row.favorite = mark;
  // The same command may be on other rows (other runs of it): only this entry changed.
  return mark ? "marked favorite" : "no longer a favorite";
}

std::optional<PickerChoice> PickerModel::choose(PickAction action) const {
  const PickerRow* row = selection();
  if (row == nullptr) return std::nullopt;
  return PickerChoice{action, row->command, row->id};
}

void PickerModel::refresh() {
  ++m_searches;
  m_selected = 0;
  auto found = m_search(PickerQuery{m_input.text(), m_mode, m_limit});
  if (!found) {
    m_rows.clear();
    m_source = PickerSource::newest;
    m_status = found.error().message;
    return;
  }
  m_rows = std::move(found->rows);
  m_source = found->source;
  if (m_rows.size() > m_limit) m_rows.resize(m_limit);
  m_status.clear();
}

std::string time_ago(Timestamp when, Timestamp now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - when).count();
  if (seconds < 1) return "now";
  struct Unit {
    long long seconds;
    const char* suffix;
  };
  static constexpr std::array<Unit, 6> k_units{
      {{31'536'000, "y"}, {604'800, "w"}, {86'400, "d"}, {3'600, "h"}, {60, "m"}, {1, "s"}}};
  for (const auto& unit : k_units) {
    if (seconds >= unit.seconds) return std::to_string(seconds / unit.seconds) + unit.suffix;
  }
  return "now";
}

std::string format_duration(std::optional<Micros> duration) {
  if (!duration) return "";
  const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(*duration).count();
  char text[32];
  if (ms < 1000) {
    std::snprintf(text, sizeof text, "%lldms", std::max(0LL, ms));
  } else if (ms < 60'000) {
    std::snprintf(text, sizeof text, "%.1fs", static_cast<double>(ms / 100) / 10.0);
  } else if (ms < 3'600'000) {
    std::snprintf(text, sizeof text, "%lldm%02llds", ms / 60'000, ms / 1000 % 60);
  } else {
    std::snprintf(text, sizeof text, "%lldh%02lldm", ms / 3'600'000, ms / 60'000 % 60);
  }
  return text;
}

}  // namespace cmdai::tui
