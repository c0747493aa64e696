// The embedding agent's frames, without a socket or a model: round trips,
// and every malformed input refused with an error instead of a crash or a
// read past the bytes given.

#include "semantic/agent_protocol.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

namespace cmdai::semantic {
namespace {

std::string header_of(const std::string& frame) { return frame.substr(0, k_frame_header_bytes); }

TEST(AgentProtocol, AFrameCarriesItsKindAndPayloadLength) {
  const std::string frame = encode_frame(FrameKind::vectors, "abc");
  ASSERT_EQ(frame.size(), k_frame_header_bytes + 3);
  EXPECT_EQ(frame.substr(0, 4), "cmEA");
  auto header = decode_frame_header(header_of(frame), 16);
  ASSERT_TRUE(header.has_value()) << header.error().describe();
  EXPECT_EQ(header->kind, FrameKind::vectors);
  EXPECT_EQ(header->payload_bytes, 3u);
  EXPECT_EQ(frame.substr(k_frame_header_bytes), "abc");
}

TEST(AgentProtocol, ARequestRoundTrips) {
  const EmbedRequest request{"/models/bge small.gguf",
                             "llama:bge.gguf:123:384:mean",
                             {"restart the web server", "", std::string("\xc3\xa9t\xc3\xa9", 5)}};
  auto decoded = decode_request_payload(encode_request_payload(request));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().describe();
  EXPECT_EQ(decoded->model_path, request.model_path);
  EXPECT_EQ(decoded->model_id, request.model_id);
  EXPECT_EQ(decoded->texts, request.texts);
}

TEST(AgentProtocol, VectorsRoundTripBitForBit) {
  const std::vector<Vector> vectors{{0.5F, -0.0F, std::numeric_limits<float>::denorm_min()},
                                    {1e-30F, -3.25F, std::numeric_limits<float>::max()}};
  auto decoded = decode_vectors_payload(encode_vectors_payload(vectors, 3), 2, 3);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().describe();
  ASSERT_EQ(decoded->size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::size_t d = 0; d < 3; ++d) {
      EXPECT_EQ(std::bit_cast<std::uint32_t>((*decoded)[i][d]), std::bit_cast<std::uint32_t>(vectors[i][d]));
    }
  }
}

TEST(AgentProtocol, NoTextsMeansNoVectors) {
  auto decoded = decode_vectors_payload(encode_vectors_payload({}, 384), 0, 384);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_TRUE(decoded->empty());
}

TEST(AgentProtocol, TextRoundTrips) {
  auto decoded = decode_text_payload(encode_text_payload("llama:other.gguf:1:384:mean"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, "llama:other.gguf:1:384:mean");
}

TEST(AgentProtocol, HeadersThatAreNotOursAreRefused) {
  std::string frame = encode_frame(FrameKind::embed_request, "");
  EXPECT_EQ(decode_frame_header("cmEA", 16).error().code, ErrorCode::corruption) << "too short";
  std::string magic = header_of(frame);
  magic[0] = 'X';
  EXPECT_EQ(decode_frame_header(magic, 16).error().code, ErrorCode::corruption);
  std::string version = header_of(frame);
  version[4] = 2;
  auto other = decode_frame_header(version, 16);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::unavailable);
  EXPECT_NE(other.error().message.find("version 2"), std::string::npos) << other.error().message;
  for (const char kind : {'\0', '\5', '\x7f'}) {
    std::string unknown = header_of(frame);
    unknown[6] = kind;
    EXPECT_EQ(decode_frame_header(unknown, 16).error().code, ErrorCode::corruption) << int(kind);
  }
}

TEST(AgentProtocol, APayloadOverTheLimitIsRefusedFromTheHeader) {
  const std::string frame = encode_frame(FrameKind::embed_request, std::string(17, 'x'));
  auto header = decode_frame_header(header_of(frame), 16);
  ASSERT_FALSE(header.has_value());
  EXPECT_EQ(header.error().code, ErrorCode::invalid_argument);
  EXPECT_TRUE(decode_frame_header(header_of(frame), 17).has_value());
}

TEST(AgentProtocol, TruncatedOrPaddedRequestsAreRefused) {
  const std::string payload = encode_request_payload({"/m.gguf", "id", {"one", "two"}});
  for (std::size_t cut = 0; cut < payload.size(); ++cut) {
    EXPECT_FALSE(decode_request_payload(payload.substr(0, cut)).has_value()) << cut;
  }
  EXPECT_FALSE(decode_request_payload(payload + "x").has_value());
}

TEST(AgentProtocol, ARequestClaimingTooManyTextsIsRefused) {
  EmbedRequest request{"/m.gguf", "id", {}};
  request.texts.assign(k_max_request_texts + 1, "");
  auto decoded = decode_request_payload(encode_request_payload(request));
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code, ErrorCode::corruption);
  request.texts.pop_back();
  EXPECT_TRUE(decode_request_payload(encode_request_payload(request)).has_value());
}

TEST(AgentProtocol, ALengthPastTheEndIsRefused) {
  std::string payload = encode_request_payload({"/m.gguf", "id", {"x"}});
  payload[0] = '\xff';  // the path's length now claims more bytes than there are
  EXPECT_FALSE(decode_request_payload(payload).has_value());
}

TEST(AgentProtocol, VectorsOfAnotherShapeOrLengthAreRefused) {
  const std::vector<Vector> vectors{{1.0F, 0.0F}, {0.0F, 1.0F}};
  const std::string payload = encode_vectors_payload(vectors, 2);
  EXPECT_FALSE(decode_vectors_payload(payload, 3, 2).has_value()) << "another count";
  EXPECT_FALSE(decode_vectors_payload(payload, 2, 3).has_value()) << "other dimensions";
  EXPECT_FALSE(decode_vectors_payload(payload.substr(0, payload.size() - 1), 2, 2).has_value());
  EXPECT_FALSE(decode_vectors_payload(payload + "xxxx", 2, 2).has_value());
  EXPECT_FALSE(decode_vectors_payload("", 0, 2).has_value());
}

RC_GTEST_PROP(AgentProtocol, AnyRequestRoundTrips, (std::string path, std::string id, std::vector<std::string> texts)) {
  RC_PRE(texts.size() <= k_max_request_texts);
  auto decoded = decode_request_payload(encode_request_payload({path, id, texts}));
  RC_ASSERT(decoded.has_value());
  RC_ASSERT(decoded->model_path == path);
  RC_ASSERT(decoded->model_id == id);
  RC_ASSERT(decoded->texts == texts);
}

RC_GTEST_PROP(AgentProtocol, AnyBytesDecodeOrFailCleanly, (std::string bytes)) {
  // Under the sanitizers a read past the bytes would end the test.
  (void)decode_request_payload(bytes);
  (void)decode_text_payload(bytes);
  (void)decode_vectors_payload(bytes, 2, 3);
  if (bytes.size() >= k_frame_header_bytes) (void)decode_frame_header(bytes.substr(0, k_frame_header_bytes), 1024);
}

}  // namespace
}  // namespace cmdai::semantic
