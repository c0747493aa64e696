#include "semantic/agent_protocol.h"

#include <bit>
#include <optional>

namespace cmdai::semantic {
namespace {

constexpr std::string_view k_magic = "cmEA";

// The low `bytes` bytes of value, least significant first.
void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int shift = 0; shift < 8 * bytes; shift += 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

void put_u16(std::string& out, std::uint16_t value) { put_le(out, value, 2); }

void put_u32(std::string& out, std::uint32_t value) { put_le(out, value, 4); }

void put_string(std::string& out, std::string_view text) {
  put_u32(out, static_cast<std::uint32_t>(text.size()));
  out.append(text);
}

// Reads fields from the front of a payload; any read past its end makes
// the reader fail, and every later read fails too.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : m_rest(bytes) {}

  std::optional<std::uint16_t> u16() {
    const auto value = little_endian(2);
    if (!value) return std::nullopt;
    return static_cast<std::uint16_t>(*value);
  }

  std::optional<std::uint32_t> u32() { return little_endian(4); }

  std::optional<std::string_view> bytes(std::size_t count) {
    if (m_failed || m_rest.size() < count) {
      m_failed = true;
      return std::nullopt;
    }
    const std::string_view taken = m_rest.substr(0, count);
    m_rest.remove_prefix(count);
    return taken;
  }

  std::optional<std::string> string() {
    const auto length = u32();
    if (!length) return std::nullopt;
    const auto text = bytes(*length);
    if (!text) return std::nullopt;
    return std::string(*text);
  }

  bool at_end() const { return !m_failed && m_rest.empty(); }

 private:
  std::optional<std::uint32_t> little_endian(std::size_t count) {
    const auto taken = bytes(count);
    if (!taken) return std::nullopt;
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      value |= static_cast<std::uint32_t>(static_cast<unsigned char>((*taken)[i])) << (8 * i);
    }
    return value;
  }

  std::string_view m_rest;
  bool m_failed = false;
};

tl::unexpected<Error> malformed(std::string_view what) {
  return fail(ErrorCode::corruption, "the embedding agent sent a malformed " + std::string(what));
}

}  // namespace

std::string encode_frame(FrameKind kind, std::string_view payload) {
  std::string out;
  out.reserve(k_frame_header_bytes + payload.size());
  out.append(k_magic);
  put_u16(out, k_agent_protocol_version);
  put_u16(out, static_cast<std::uint16_t>(kind));
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

Result<FrameHeader> decode_frame_header(std::string_view header, std::uint32_t max_payload) {
  if (header.size() != k_frame_header_bytes || header.substr(0, 4) != k_magic) return malformed("frame header");
  Reader reader(header.substr(k_magic.size()));
  const auto version = reader.u16();
  const auto kind = reader.u16();
  const auto length = reader.u32();
  if (!version || !kind || !length) return malformed("frame header");
  if (*version != k_agent_protocol_version) {
    return fail(ErrorCode::unavailable, "the embedding agent speaks protocol version " + std::to_string(*version) +
                                            ", not " + std::to_string(k_agent_protocol_version));
  }
  if (*kind < static_cast<std::uint16_t>(FrameKind::embed_request) ||
      *kind > static_cast<std::uint16_t>(FrameKind::failure)) {
    return malformed("frame kind");
  }
  if (*length > max_payload) {
    return fail(ErrorCode::invalid_argument, "an embedding agent frame of " + std::to_string(*length) +
                                                 " bytes is over the limit of " + std::to_string(max_payload));
  }
  return FrameHeader{static_cast<FrameKind>(*kind), *length};
}

std::string encode_request_payload(const EmbedRequest& request) {
  std::string out;
  put_string(out, request.model_path);
  put_string(out, request.model_id);
  put_u32(out, static_cast<std::uint32_t>(request.texts.size()));
  for (const auto& text : request.texts) put_string(out, text);
  return out;
}

Result<EmbedRequest> decode_request_payload(std::string_view payload) {
  Reader reader(payload);
  EmbedRequest request;
  auto path = reader.string();
  auto id = reader.string();
  const auto count = reader.u32();
  if (!path || !id || !count) return malformed("request");
  if (*count > k_max_request_texts) return malformed("request (too many texts)");
  request.model_path = std::move(*path);
  request.model_id = std::move(*id);
  request.texts.reserve(*count);
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto text = reader.string();
    if (!text) return malformed("request");
    request.texts.push_back(std::move(*text));
  }
  if (!reader.at_end()) return malformed("request (trailing bytes)");
  return request;
}

std::string encode_vectors_payload(std::span<const Vector> vectors, std::size_t dimensions) {
  std::string out;
  out.reserve(8 + vectors.size() * dimensions * 4);
  put_u32(out, static_cast<std::uint32_t>(vectors.size()));
  put_u32(out, static_cast<std::uint32_t>(dimensions));
  for (const auto& vector : vectors) {
    for (const float value : vector) put_u32(out, std::bit_cast<std::uint32_t>(value));
  }
  return out;
}

Result<std::vector<Vector>> decode_vectors_payload(std::string_view payload, std::size_t count,
                                                   std::size_t dimensions) {
  Reader reader(payload);
  const auto got_count = reader.u32();
  const auto got_dimensions = reader.u32();
  if (!got_count || !got_dimensions) return malformed("reply");
  if (*got_count != count || *got_dimensions != dimensions) {
    return fail(ErrorCode::corruption, "the embedding agent answered " + std::to_string(*got_count) + " vectors of " +
                                           std::to_string(*got_dimensions) + " dimensions, not " +
                                           std::to_string(count) + " of " + std::to_string(dimensions));
  }
  if (payload.size() != 8 + count * dimensions * 4) return malformed("reply (wrong length)");
  std::vector<Vector> vectors(count, Vector(dimensions));
  for (auto& vector : vectors) {
    for (float& value : vector) {
      const auto bits = reader.u32();
      if (!bits) return malformed("reply (truncated)");
      value = std::bit_cast<float>(*bits);
    }
  }
  if (!reader.at_end()) return malformed("reply (trailing bytes)");
  return vectors;
}

std::string encode_text_payload(std::string_view text) {
  std::string out;
  put_string(out, text);
  return out;
}

Result<std::string> decode_text_payload(std::string_view payload) {
  Reader reader(payload);
  auto text = reader.string();
  if (!text || !reader.at_end()) return malformed("message");
  return std::move(*text);
}

}  // namespace cmdai::semantic
