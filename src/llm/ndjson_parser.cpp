#include "llm/ndjson_parser.h"

namespace cmdai::llm {

Result<void> NdjsonParser::feed(std::string_view bytes) {
  if (m_failed) return fail(ErrorCode::corruption, "the JSON-lines stream was already broken");
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    const std::string_view part = bytes.substr(0, newline);
    if (m_line.size() + part.size() > m_max_line) {
      m_failed = true;
      return fail(ErrorCode::corruption,
                  "the server sent a JSON line longer than " + std::to_string(m_max_line) + " bytes");
    }
    m_line.append(part);
    if (newline == std::string_view::npos) break;
    CMDAI_TRY(take_line());
    bytes.remove_prefix(newline + 1);
  }
  return {};
}

Result<void> NdjsonParser::finish() {
  if (m_failed) return fail(ErrorCode::corruption, "the JSON-lines stream was already broken");
  return take_line();
}

Result<void> NdjsonParser::take_line() {
  std::string line;
  line.swap(m_line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.find_first_not_of(" \t") == std::string::npos) return {};
  auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    m_failed = true;
    std::string shown = line.substr(0, 80);
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    return fail(ErrorCode::corruption, "the server sent a line that is not JSON: " + shown);
  }
  if (m_on_line) m_on_line(json);
  return {};
}

}  // namespace cmdai::llm
