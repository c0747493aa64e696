// The SSE and NDJSON parsers: chunking at every byte boundary, line endings,
// comments, limits and malformed input.
#include <gtest/gtest.h>

#include "llm/ndjson_parser.h"
#include "llm/sse_parser.h"

namespace cmdai::llm {
namespace {

std::vector<SseEvent> sse_events(std::string_view bytes, std::size_t step) {
  std::vector<SseEvent> out;
  SseParser parser([&](const SseEvent& e) { out.push_back(e); });
  for (std::size_t i = 0; i < bytes.size(); i += step) EXPECT_TRUE(parser.feed(bytes.substr(i, step)));
  parser.finish();
  return out;
}

TEST(SseParser, OpenAiStreamInAnyChunking) {
  const std::string stream =
      "data: {\"choices\":[{\"delta\":{\"content\":\"ls\"}}]}\n\n"
      ": keep-alive\n\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\" -la\"}}]}\r\n\r\n"
      "data: [DONE]\n\n";
  for (std::size_t step : {1U, 2U, 3U, 7U, 1000U}) {
    auto events = sse_events(stream, step);
    ASSERT_EQ(events.size(), 3U) << "step " << step;
    EXPECT_EQ(events[0].data, "{\"choices\":[{\"delta\":{\"content\":\"ls\"}}]}");
    EXPECT_EQ(events[2].data, "[DONE]");
  }
}

TEST(SseParser, MultiLineDataEventFieldAndCrOnly) {
  auto events = sse_events("event: update\rdata: a\rdata:b\r\rid: 7\ndata\n\n", 1);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].event, "update");
  EXPECT_EQ(events[0].data, "a\nb");
  EXPECT_EQ(events[1].data, "");
}

TEST(SseParser, LastEventWithoutBlankLineIsDispatchedAtFinish) {
  auto events = sse_events("data: tail", 4);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].data, "tail");
}

TEST(SseParser, OverlongLineIsAnErrorAndStaysOne) {
  SseParser parser([](const SseEvent&) {}, 16);
  auto fed = parser.feed("data: " + std::string(64, 'x'));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::corruption);
  EXPECT_FALSE(parser.feed("\n\n"));
}

TEST(SseParser, NulAndInvalidUtf8PassThroughAsBytes) {
  auto events = sse_events(std::string("data: a\0\xff", 9) + "\n\n", 3);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].data, std::string("a\0\xff", 3));
}

TEST(NdjsonParser, OllamaLinesInAnyChunking) {
  const std::string stream =
      "{\"message\":{\"content\":\"a\"},\"done\":false}\n"
      "\n"
      "{\"message\":{\"content\":\"b\"},\"done\":false}\r\n"
      "{\"done\":true}";
  for (std::size_t step : {1U, 5U, 1000U}) {
    std::vector<nlohmann::json> lines;
    NdjsonParser parser([&](const nlohmann::json& j) { lines.push_back(j); });
    for (std::size_t i = 0; i < stream.size(); i += step)
      ASSERT_TRUE(parser.feed(std::string_view(stream).substr(i, step)));
    ASSERT_TRUE(parser.finish());
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_TRUE(lines[2]["done"].get<bool>());
  }
}

TEST(NdjsonParser, GarbageLineIsCorruptionWithAShortQuote) {
  NdjsonParser parser([](const nlohmann::json&) {});
  auto fed = parser.feed("{\"ok\":1}\nnot json\x01\n");
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::corruption);
  EXPECT_NE(fed.error().message.find("not json?"), std::string::npos);
  EXPECT_FALSE(parser.feed("{}\n"));
}

TEST(NdjsonParser, OverlongLineIsAnError) {
  NdjsonParser parser([](const nlohmann::json&) {}, 32);
  EXPECT_FALSE(parser.feed(std::string(40, ' ')));
}

TEST(NdjsonParser, InvalidUtf8InAStringIsRejected) {
  NdjsonParser parser([](const nlohmann::json&) {});
  EXPECT_FALSE(parser.feed("{\"a\":\"\xff\"}\n"));
}

}  // namespace
}  // namespace cmdai::llm
