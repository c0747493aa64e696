#pragma once
// Incremental parser for Server-Sent Events (the text/event-stream format
// OpenAI-compatible servers stream completions in). Bytes go in as they
// arrive, in chunks of any size; each complete event comes out once.
//
// Follows the WHATWG event-stream rules that matter for completions: lines
// end in LF, CRLF or CR; a line starting with ':' is a comment; "data:"
// lines of one event are joined with '\n'; a blank line dispatches the
// event; fields other than data/event are ignored. A line longer than the
// limit is an error (the stream is then unusable), never a crash or an
// unbounded buffer.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cmdai::llm {

struct SseEvent {
  std::string event;  // the "event:" field; empty for the default "message"
  std::string data;   // "data:" lines joined with '\n'
};

class SseParser {
 public:
  using EventSink = std::function<void(const SseEvent&)>;
  static constexpr std::size_t k_default_max_line = 1 << 20;

  explicit SseParser(EventSink on_event, std::size_t max_line = k_default_max_line)
      : m_on_event(std::move(on_event)), m_max_line(max_line) {}

  // Feeds the next bytes. Errors: corruption when a line exceeds the limit;
  // after an error every later call fails the same way.
  Result<void> feed(std::string_view bytes);
  // Ends the stream: an event still missing its blank line is dispatched
  // (servers that close right after the last data line).
  void finish();

 private:
  void take_line(std::string_view line);
  void dispatch();

  EventSink m_on_event;
  std::size_t m_max_line;
  std::string m_line;
  SseEvent m_pending;
  bool m_has_data = false;
  bool m_after_cr = false;
  bool m_failed = false;
};

}  // namespace cmdai::llm
