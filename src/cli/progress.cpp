#include "cli/progress.h"

#include <array>
#include <chrono>
#include <condition_variable>
#include <ostream>

#include "cli/output.h"
#include "core/terminal_text.h"

namespace cmdai::cli {
namespace {

constexpr std::array<std::string_view, 10> k_frames{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
constexpr std::size_t k_width = 78;
constexpr std::chrono::milliseconds k_tick{100};

}  // namespace

std::string progress_line(std::string_view stage, std::string_view partial, std::size_t frame, std::size_t width) {
  std::string line(k_frames[frame % k_frames.size()]);
  line += ' ';
  std::string_view text = partial.empty() ? stage : partial;
  const std::size_t room = width > 2 ? width - 2 : 0;
  if (text.size() > room) {
    line += "…";
    text = text.substr(text.size() - (room > 1 ? room - 1 : 0));
  }
  // After the cut: a character it split shows as U+FFFD, never as a stray byte.
  line += terminal_text(text);
  return line;
}

void ProgressDisplay::draw_locked() {
  m_err << "\r\033[K" << dim(m_color) << progress_line(m_stage, m_partial, m_frame, k_width) << reset_color(m_color)
        << std::flush;
  m_drawn = true;
}

void ProgressDisplay::on_event(const generation::StreamEvent& event) {
  if (!m_enabled) return;
  std::lock_guard lock(m_mutex);
  if (m_ended) return;
  if (const auto* progress = std::get_if<generation::ProgressEvent>(&event)) {
    m_stage = progress->message;
  } else if (const auto* partial = std::get_if<generation::PartialResultEvent>(&event)) {
    m_partial = partial->command;
  } else {
    return;  // Completed, Error, Cancelled: the caller prints the outcome after finish()
  }
  ++m_frame;
  draw_locked();
  if (!m_ticker.joinable()) {
    m_ticker = std::jthread([this](std::stop_token stop) {
      std::mutex sleep_mutex;
      std::condition_variable_any cv;
      std::unique_lock sleep_lock(sleep_mutex);
      while (!cv.wait_for(sleep_lock, stop, k_tick, [] { return false; })) {
        std::lock_guard draw_lock(m_mutex);
        if (m_ended) return;
        ++m_frame;
        draw_locked();
      }
    });
  }
}

void ProgressDisplay::finish() {
  std::jthread ticker;
  {
    std::lock_guard lock(m_mutex);
    m_ended = true;
    ticker = std::move(m_ticker);
  }
  ticker = {};  // stop and join outside the lock the ticker takes
  std::lock_guard lock(m_mutex);
  if (m_drawn) m_err << "\r\033[K" << std::flush;
  m_drawn = false;
}

}  // namespace cmdai::cli
