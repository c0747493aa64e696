#pragma once
// HttpTransport: the one HTTP client every remote backend (and the model
// downloader) uses, built on libcurl's multi interface.
//
// - Connection reuse: one transport keeps its connections open between
//   requests (a backend owns one transport).
// - Proxies come from the environment (http_proxy, https_proxy, no_proxy),
//   as libcurl reads them.
// - Timeouts: connect_timeout for the TCP/TLS handshake, idle_timeout for a
//   response that stops sending bytes (our own watchdog, so a server that
//   keeps the socket open but sends nothing is caught), total_timeout for
//   the whole request.
// - Cancellation: the stop token is checked at least every
//   k_poll_interval, and a stop request wakes the poll at once, so a
//   request ends within milliseconds of Ctrl-C.
//
// Thread safety: one request at a time per transport. Header values (an API
// key) are never logged.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cmdai::llm {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, HEAD
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent for POST
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds idle_timeout{30'000};  // no byte received for this long
  std::chrono::milliseconds total_timeout{0};      // 0: no limit
  std::uint64_t resume_from = 0;                   // > 0: ask for bytes from this offset (Range)
  // Optional: the response status, once, before the first body byte.
  std::function<void(long status)> on_status;
};

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;                  // the whole body when no sink was given, or when status >= 400
  std::uint64_t content_length = 0;  // as announced; 0 when unknown
};

// Receives body bytes of a successful (status < 400) response as they
// arrive. Returning false stops the transfer (the request then fails with
// cancelled).
using BodySink = std::function<bool(std::string_view bytes)>;

class HttpTransport {
 public:
  static constexpr std::chrono::milliseconds k_poll_interval{20};

  HttpTransport();
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Performs one request. Errors: unavailable (connection refused, DNS,
  // TLS, connection lost mid-body), timeout (connect, idle or total),
  // cancelled (stop requested or the sink returned false). An HTTP error
  // status is not an Error: the caller reads status and body.
  Result<HttpResponse> perform(const HttpRequest& request, const BodySink& on_body, std::stop_token stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// "http://host:port/v1/" -> "http://host:port/v1" (no trailing slash).
std::string trim_url(std::string_view url);

}  // namespace cmdai::llm
