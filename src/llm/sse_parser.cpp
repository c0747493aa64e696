#include "llm/sse_parser.h"

namespace cmdai::llm {

Result<void> SseParser::feed(std::string_view bytes) {
  if (m_failed) return fail(ErrorCode::corruption, "the event stream was already broken");
  for (const char c : bytes) {
    if (m_after_cr) {
      m_after_cr = false;
      if (c == '\n') continue;  // CRLF: the CR already ended the line
    }
    if (c == '\r' || c == '\n') {
      m_after_cr = c == '\r';
      take_line(m_line);
      m_line.clear();
      continue;
    }
    if (m_line.size() >= m_max_line) {
      m_failed = true;
      return fail(ErrorCode::corruption,
                  "the server sent an event-stream line longer than " + std::to_string(m_max_line) + " bytes");
    }
    m_line += c;
  }
  return {};
}

void SseParser::finish() {
  if (m_failed) return;
  if (!m_line.empty()) take_line(m_line);
  m_line.clear();
  dispatch();
}

void SseParser::take_line(std::string_view line) {
  if (line.empty()) {
    dispatch();
    return;
  }
  if (line.front() == ':') return;  // comment / keep-alive
  const auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (m_has_data) m_pending.data += '\n';
    m_pending.data.append(value);
    m_has_data = true;
  } else if (field == "event") {
    m_pending.event.assign(value);
  }
}

void SseParser::dispatch() {
  if (m_has_data && m_on_event) m_on_event(m_pending);
  m_pending = SseEvent{};
  m_has_data = false;
}

}  // namespace cmdai::llm
