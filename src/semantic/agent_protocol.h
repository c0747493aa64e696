#pragma once
// The embedding agent's wire format (embed_agent.h): one request and one
// reply per connection, each a frame
//
//   "cmEA"  version (u16)  kind (u16)  payload length (u32)  payload
//
// integers little-endian. A request names the model it wants (the path the
// client would load and the model_id the embedding cache keys on) and the
// texts; the reply carries their vectors, says the agent holds another
// model, or says why it failed. Strings are a u32 length and their bytes;
// floats travel as their IEEE-754 bits, so a vector arrives bit for bit.
//
// Pure functions on bytes, no sockets: every decoder checks lengths against
// the payload it was given and never reads past it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "semantic/embedder.h"

namespace cmdai::semantic {

inline constexpr std::uint16_t k_agent_protocol_version = 1;
inline constexpr std::size_t k_frame_header_bytes = 12;
inline constexpr std::uint32_t k_max_request_payload = 1U << 20;  // 1 MiB of texts per request
inline constexpr std::uint32_t k_max_reply_payload = 64U << 20;   // vectors: texts x dimensions x 4 bytes
inline constexpr std::uint32_t k_max_request_texts = 1024;

enum class FrameKind : std::uint16_t {
  embed_request = 1,
  vectors = 2,
  wrong_model = 3,  // payload: the model_id the agent holds
  failure = 4,      // payload: what went wrong, for the client's notice
};

struct FrameHeader {
  FrameKind kind = FrameKind::failure;
  std::uint32_t payload_bytes = 0;
};

struct EmbedRequest {
  std::string model_path;  // absolute
  std::string model_id;    // Embedder::model_id() of the model at that path
  std::vector<std::string> texts;
};

// A whole frame: header and payload.
std::string encode_frame(FrameKind kind, std::string_view payload);

// The first k_frame_header_bytes of a frame. Errors: corruption for a bad
// magic or an unknown kind, unavailable for another protocol version,
// invalid_argument for a payload longer than max_payload.
Result<FrameHeader> decode_frame_header(std::string_view header, std::uint32_t max_payload);

std::string encode_request_payload(const EmbedRequest& request);
// Errors: corruption (truncated, trailing bytes, too many texts).
Result<EmbedRequest> decode_request_payload(std::string_view payload);

// vectors must all have `dimensions` floats.
std::string encode_vectors_payload(std::span<const Vector> vectors, std::size_t dimensions);
// Errors: corruption (truncated, trailing bytes), and when the reply holds
// another number of vectors or dimensions than asked for.
Result<std::vector<Vector>> decode_vectors_payload(std::string_view payload, std::size_t count, std::size_t dimensions);

std::string encode_text_payload(std::string_view text);
Result<std::string> decode_text_payload(std::string_view payload);

}  // namespace cmdai::semantic
