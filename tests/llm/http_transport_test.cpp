// HttpTransport against a real loopback socket: bodies, streaming, reuse,
// refused connections, idle timeout and cancellation.
#include <gtest/gtest.h>

#include <thread>

#include "llm/http_transport.h"
#include "tools/loopback_server.h"

namespace cmdai::llm {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

ScriptedResponse hello(const RecordedRequest&) {
  ScriptedResponse r;
  r.chunks = {"hel", "lo"};
  return r;
}

TEST(HttpTransport, GetsAWholeBodyAndReusesTheConnection) {
  LoopbackServer server(hello);
  HttpTransport transport;
  for (int i = 0; i < 3; ++i) {
    HttpRequest request;
    request.url = server.url() + "/x";
    auto response = transport.perform(request, {}, {});
    ASSERT_TRUE(response) << response.error().describe();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello");
  }
  EXPECT_EQ(server.connections(), 1) << "keep-alive connection reused";
}

TEST(HttpTransport, PostsABodyAndStreamsTheAnswer) {
  LoopbackServer server(hello);
  HttpTransport transport;
  HttpRequest request;
  request.method = "POST";
  request.url = server.url() + "/api/chat";
  request.body = R"({"a":1})";
  request.headers = {"Content-Type: application/json", "Authorization: Bearer secret"};
  std::string streamed;
  auto response = transport.perform(request,
                                    [&](std::string_view b) {
                                      streamed += b;
                                      return true;
                                    },
                                    {});
  ASSERT_TRUE(response);
  EXPECT_EQ(streamed, "hello");
  EXPECT_TRUE(response->body.empty());
  const auto seen = server.requests().back();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.body, R"({"a":1})");
  EXPECT_EQ(seen.headers.at("authorization"), "Bearer secret");
}

TEST(HttpTransport, ErrorStatusKeepsTheBodyForTheCaller) {
  LoopbackServer server([](const RecordedRequest&) {
    ScriptedResponse r;
    r.status = 404;
    r.chunks = {R"({"error":"nope"})"};
    return r;
  });
  HttpTransport transport;
  HttpRequest request;
  request.url = server.url();
  bool sink_called = false;
  auto response = transport.perform(request, [&](std::string_view) { return sink_called = true; }, {});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, R"({"error":"nope"})");
  EXPECT_FALSE(sink_called);
}

TEST(HttpTransport, RefusedConnectionIsUnavailable) {
  int port = 0;
  {
    LoopbackServer server(hello);
    port = server.port();
  }
  HttpTransport transport;
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto response = transport.perform(request, {}, {});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::unavailable);
}

TEST(HttpTransport, SilentServerHitsTheIdleTimeout) {
  LoopbackServer server([](const RecordedRequest&) {
    ScriptedResponse r;
    r.chunks = {"first"};
    r.hold_after = 1;
    return r;
  });
  HttpTransport transport;
  HttpRequest request;
  request.url = server.url();
  request.idle_timeout = std::chrono::milliseconds{100};
  auto response = transport.perform(request, [](std::string_view) { return true; }, {});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::timeout);
}

TEST(HttpTransport, StopRequestEndsAHeldResponse) {
  LoopbackServer server([](const RecordedRequest&) {
    ScriptedResponse r;
    r.chunks = {"first", "never"};
    r.hold_after = 1;
    return r;
  });
  HttpTransport transport;
  HttpRequest request;
  request.url = server.url();
  std::stop_source stop;
  auto response = transport.perform(
      request,
      [&](std::string_view) {
        stop.request_stop();  // from the data path; the poll must notice at once
        return true;
      },
      stop.get_token());
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::cancelled);
}

TEST(HttpTransport, StopFromAnotherThreadWakesThePoll) {
  LoopbackServer server([](const RecordedRequest&) {
    ScriptedResponse r;
    r.chunks = {"first"};
    r.hold_after = 1;
    return r;
  });
  HttpTransport transport;
  HttpRequest request;
  request.url = server.url();
  std::stop_source stop;
  std::atomic<bool> got_first{false};
  std::jthread canceller([&] {
    while (!got_first) std::this_thread::yield();
    stop.request_stop();
  });
  auto response = transport.perform(
      request, [&](std::string_view) { return got_first = true; }, stop.get_token());
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::cancelled);
}

TEST(HttpTransport, SinkRefusalCancels) {
  LoopbackServer server(hello);
  HttpTransport transport;
  HttpRequest request;
  request.url = server.url();
  auto response = transport.perform(request, [](std::string_view) { return false; }, {});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::cancelled);
}

TEST(HttpTransport, TrimUrl) {
  EXPECT_EQ(trim_url("http://h:1/v1//"), "http://h:1/v1");
  EXPECT_EQ(trim_url("http://h:1"), "http://h:1");
}

}  // namespace
}  // namespace cmdai::llm
