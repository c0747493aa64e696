#include "cli/progress.h"

#include <ostream>

#include "cli/output.h"

namespace cmdai::cli {

void ProgressDisplay::on_event(const generation::StreamEvent& event) {
  if (!m_enabled) return;
  if (const auto* partial = std::get_if<generation::PartialResultEvent>(&event)) {
    m_err << "\r\033[K" << dim(m_color) << partial->command << reset_color(m_color) << std::flush;
    m_drawn = true;
  }
}

void ProgressDisplay::finish() {
  if (m_drawn) m_err << "\r\033[K" << std::flush;
  m_drawn = false;
}

}  // namespace cmdai::cli
