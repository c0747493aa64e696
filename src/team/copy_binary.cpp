#include "team/copy_binary.h"

#include <chrono>

#include "core/utf8.h"

namespace cmdai::team {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";
constexpr std::string_view k_signature{"PGCOPY\n\xFF\r\n\0\0\0\0\0\0\0\0\0", 19};  // + flags, extension length

// The server's epoch for timestamps, 2000-01-01 00:00:00 UTC, in Unix microseconds.
constexpr std::int64_t k_postgres_epoch_micros = 946'684'800'000'000;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void append_network_order(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

std::optional<UuidBytes> uuid_bytes(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  UuidBytes bytes{};
  std::size_t at = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int high = hex_value(text[i]);
    const int low = hex_value(text[++i]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[at++] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return bytes;
}

void replace_nul(std::string& text) {
  for (std::size_t at = text.find('\0'); at != std::string::npos; at = text.find('\0', at)) {
    text.replace(at, 1, k_replacement);
    at += k_replacement.size();
  }
}

CopyBinary::CopyBinary() : m_data(k_signature) {}

void CopyBinary::length(std::int32_t bytes) { append_network_order(m_data, static_cast<std::uint32_t>(bytes), 4); }

void CopyBinary::begin_row(std::int16_t columns) {
  append_network_order(m_data, static_cast<std::uint16_t>(columns), 2);
}

void CopyBinary::text(std::optional<std::string_view> value) {
  if (!value) return length(-1);
  if (is_valid_utf8(*value) && value->find('\0') == std::string_view::npos) {
    length(static_cast<std::int32_t>(value->size()));
    m_data += *value;
    return;
  }
  std::string valid = printable_utf8(*value);
  replace_nul(valid);
  length(static_cast<std::int32_t>(valid.size()));
  m_data += valid;
}

void CopyBinary::jsonb(std::optional<std::string_view> json) {
  if (!json) return length(-1);
  length(static_cast<std::int32_t>(json->size() + 1));
  m_data += '\x01';
  m_data += *json;
}

void CopyBinary::uuid(const UuidBytes& id) {
  length(static_cast<std::int32_t>(id.size()));
  m_data.append(reinterpret_cast<const char*>(id.data()), id.size());
}

void CopyBinary::timestamptz(Timestamp time) {
  // Truncated to the microsecond as format_iso8601 does.
  const auto micros = std::chrono::time_point_cast<std::chrono::microseconds>(time).time_since_epoch().count();
  length(8);
  append_network_order(m_data, static_cast<std::uint64_t>(micros - k_postgres_epoch_micros), 8);
}

void CopyBinary::boolean(bool value) {
  length(1);
  m_data += value ? '\x01' : '\x00';
}

void CopyBinary::int4(std::int32_t value) {
  length(4);
  append_network_order(m_data, static_cast<std::uint32_t>(value), 4);
}

void CopyBinary::binary(std::optional<std::string_view> value) {
  if (!value) return length(-1);
  length(static_cast<std::int32_t>(value->size()));
  m_data += *value;
}

std::string CopyBinary::finish() {
  append_network_order(m_data, 0xffff, 2);  // the trailer: -1 columns
  std::string data = std::move(m_data);
  m_data = std::string(k_signature);
  return data;
}

}  // namespace cmdai::team
