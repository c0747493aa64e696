#pragma once
// Shows generation as it happens on a terminal: one line of stderr with a
// spinner, the stage ("loading model", "waiting for first token") and then
// the partial command as it forms; erased when generation ends, so nothing
// half-done stays on screen. Does nothing when disabled (--no-stream, not a
// terminal, structured output).
//
// Thread safety: on_event() is called on the generator's worker thread; a
// ticker thread of its own keeps the spinner moving while nothing arrives
// (a slow first token). finish() stops and joins it; call it from the
// thread that owns the display.

#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>

#include "generation/streaming_generator.h"

namespace cmdai::cli {

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& err, bool enabled, bool color) : m_err(err), m_enabled(enabled), m_color(color) {}
  ~ProgressDisplay() { finish(); }
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void on_event(const generation::StreamEvent& event);
  // Erases the progress line, if one was drawn, and stops the spinner.
  void finish();

 private:
  void draw_locked();

  std::ostream& m_err;
  bool m_enabled;
  bool m_color;
  std::mutex m_mutex;
  bool m_drawn = false;
  bool m_ended = false;
  std::size_t m_frame = 0;
  std::string m_stage;
  std::string m_partial;
  std::jthread m_ticker;
};

// The text of the progress line for a stage and a partial command, cut to
// `width` columns (the end of a long command stays visible).
std::string progress_line(std::string_view stage, std::string_view partial, std::size_t frame, std::size_t width);

}  // namespace cmdai::cli
