#pragma once
// Shows generation as it happens on a terminal: the partial command on one
// line of stderr, erased when generation ends. Does nothing when disabled.

#include <iosfwd>

#include "generation/streaming_generator.h"

namespace cmdai::cli {

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& err, bool enabled, bool color) : m_err(err), m_enabled(enabled), m_color(color) {}

  // Called on the generator's worker thread, in event order.
  void on_event(const generation::StreamEvent& event);
  // Erases the progress line, if one was drawn.
  void finish();

 private:
  std::ostream& m_err;
  bool m_enabled;
  bool m_color;
  bool m_drawn = false;
};

}  // namespace cmdai::cli
