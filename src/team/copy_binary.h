#pragma once
// PostgreSQL's COPY binary format (COPY ... FROM STDIN (FORMAT binary)): a
// signature, then for each row its number of columns and each value as a
// length and the type's binary form, integers in network byte order. The
// server reads a uuid, a timestamptz, a boolean or an integer without
// parsing text, and text goes as it is, without escapes.
//
// Text values are made valid UTF-8 first (the server rejects anything
// else; history keeps any bytes a command held) and NUL bytes, which
// PostgreSQL text cannot hold, become U+FFFD like other invalid bytes.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/entities.h"

namespace cmdai::team {

using UuidBytes = std::array<std::uint8_t, 16>;

// The low `bytes` bytes of value, most significant first (network byte
// order, as every integer of the binary formats), appended to out.
void append_network_order(std::string& out, std::uint64_t value, int bytes);

// The 16 bytes of a UUID written as 36 hexadecimal digits and dashes;
// nullopt for anything else.
std::optional<UuidBytes> uuid_bytes(std::string_view text);

// Each NUL byte of text as U+FFFD, as CopyBinary::text writes it: for the
// strings that reach the server inside JSON (tags, metadata), where jsonb
// refuses the \u0000 escape JSON would give a NUL.
void replace_nul(std::string& text);

// The rows of one COPY, built in memory. Not thread-safe.
class CopyBinary {
 public:
  CopyBinary();  // starts with the signature

  void begin_row(std::int16_t columns);
  void text(std::optional<std::string_view> value);  // nullopt is NULL
  // JSON text (valid UTF-8, no \u0000 escape: json_text and replace_nul
  // see to both) as jsonb's binary form, its version byte and the text.
  void jsonb(std::optional<std::string_view> json);
  void uuid(const UuidBytes& id);
  void timestamptz(Timestamp time);  // to the microsecond, as the server keeps it
  void boolean(bool value);
  void int4(std::int32_t value);
  // A value already in its type's binary form (a tsvector from
  // WordSeparators::search_vector); nullopt is NULL.
  void binary(std::optional<std::string_view> value);

  // The data with its trailer; the builder is empty afterwards.
  std::string finish();

 private:
  void length(std::int32_t bytes);
  std::string m_data;
};

}  // namespace cmdai::team
