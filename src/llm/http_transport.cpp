#include "llm/http_transport.h"

#include <atomic>
#include <optional>

#include <curl/curl.h>

#include "llm/curl_library.h"

namespace cmdai::llm {
namespace {

using Clock = std::chrono::steady_clock;

// The loaded library. Every use below comes after HttpTransport's
// constructor found it available (curl_library() caches the outcome).
const CurlLibrary& curl() { return **curl_library(); }

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl().slist_free_all(list); }
};

// State shared with libcurl's callbacks for one request.
struct Transfer {
  const BodySink* sink = nullptr;
  const std::function<void(long)>* on_status = nullptr;
  CURL* easy = nullptr;
  HttpResponse response;
  Clock::time_point last_byte = Clock::now();
  std::stop_token stop;
  bool sink_refused = false;
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const size_t n = size * count;
  t.last_byte = Clock::now();
  if (t.response.status == 0) {
    curl().easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &t.response.status);
    if (*t.on_status) (*t.on_status)(t.response.status);
  }
  if (t.sink && *t.sink && t.response.status < 400) {
    if (!(*t.sink)(std::string_view(data, n))) {
      t.sink_refused = true;
      return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
    }
    return n;
  }
  if (t.response.body.size() < (64U << 20)) t.response.body.append(data, n);
  return n;
}

size_t on_header(char*, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  t.last_byte = Clock::now();
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto& t = *static_cast<Transfer*>(user);
  return t.stop.stop_requested() ? 1 : 0;  // non-zero aborts the transfer
}

Error curl_error(CURLcode code, const std::string& url, const char* detail) {
  const std::string what = detail[0] ? detail : curl().easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Error{ErrorCode::timeout, "the request to " + url + " timed out (" + what + ")",
                   "check that the server is running and reachable"};
    case CURLE_ABORTED_BY_CALLBACK: return Error{ErrorCode::cancelled, "the request was cancelled", {}};
    default:
      return Error{ErrorCode::unavailable, "cannot reach " + url + ": " + what,
                   "check that the server is running and the endpoint is right"};
  }
}

}  // namespace

struct HttpTransport::Impl {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
  std::optional<Error> load_error;  // libcurl could not be opened
};

HttpTransport::HttpTransport() : m_impl(std::make_unique<Impl>()) {
  auto library = curl_library();
  if (!library) {
    m_impl->load_error = library.error();
    return;
  }
  m_impl->multi = curl().multi_init();
  m_impl->easy = curl().easy_init();
}

HttpTransport::~HttpTransport() {
  if (m_impl->easy) curl().easy_cleanup(m_impl->easy);
  if (m_impl->multi) curl().multi_cleanup(m_impl->multi);
}

namespace {

void configure(CURL* easy, const HttpRequest& request, curl_slist* headers, Transfer& transfer, char* error_buffer) {
  curl().easy_reset(easy);
  curl().easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl().easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl().easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
  curl().easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  if (request.total_timeout.count() > 0) {
    curl().easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
  }
  curl().easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl().easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl().easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
  curl().easy_setopt(easy, CURLOPT_USERAGENT, "cmdai/" CMDAI_VERSION);
  curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
  curl().easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl().easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl().easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl().easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl().easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl().easy_setopt(easy, CURLOPT_XFERINFODATA, &transfer);
  if (request.method == "POST") {
    curl().easy_setopt(easy, CURLOPT_POST, 1L);
    curl().easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
    curl().easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "HEAD") {
    curl().easy_setopt(easy, CURLOPT_NOBODY, 1L);
  }
}

}  // namespace

Result<HttpResponse> HttpTransport::perform(const HttpRequest& request, const BodySink& on_body, std::stop_token stop) {
  if (m_impl->load_error) return fail(*m_impl->load_error);
  if (!m_impl->multi || !m_impl->easy) return fail(ErrorCode::internal, "libcurl could not be initialised");
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& header : request.headers) headers.reset(curl().slist_append(headers.release(), header.c_str()));
  if (request.resume_from > 0) {
    // A plain Range header, not CURLOPT_RESUME_FROM: a server that ignores it
    // answers 200 with the whole file, which the caller handles.
    const std::string range = "Range: bytes=" + std::to_string(request.resume_from) + "-";
    headers.reset(curl().slist_append(headers.release(), range.c_str()));
  }
  Transfer transfer;
  transfer.sink = &on_body;
  transfer.on_status = &request.on_status;
  transfer.easy = m_impl->easy;
  transfer.stop = stop;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  configure(m_impl->easy, request, headers.get(), transfer, error_buffer);

  CURLM* multi = m_impl->multi;
  curl().multi_add_handle(multi, m_impl->easy);
  std::stop_callback wake(stop, [multi] { curl().multi_wakeup(multi); });
  std::optional<Error> failure;
  CURLcode result = CURLE_OK;
  for (;;) {
    int running = 0;
    curl().multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl().multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) result = msg->data.result;
    }
    if (running == 0) break;
    if (stop.stop_requested()) {
      failure = Error{ErrorCode::cancelled, "the request was cancelled", {}};
      break;
    }
    if (Clock::now() - transfer.last_byte > request.idle_timeout) {
      failure = Error{
          ErrorCode::timeout,
          "the server at " + request.url + " sent nothing for " + std::to_string(request.idle_timeout.count()) + " ms",
          "the model may be overloaded; try again or raise the timeout"};
      break;
    }
    curl().multi_poll(multi, nullptr, 0, static_cast<int>(k_poll_interval.count()), nullptr);
  }
  curl().multi_remove_handle(multi, m_impl->easy);
  if (failure) return fail(*failure);
  if (transfer.sink_refused || (result != CURLE_OK && stop.stop_requested())) {
    return fail(ErrorCode::cancelled, "the request was cancelled");
  }
  if (result != CURLE_OK) return fail(curl_error(result, request.url, error_buffer));
  curl().easy_getinfo(m_impl->easy, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  char* content_type = nullptr;
  curl().easy_getinfo(m_impl->easy, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type) transfer.response.content_type = content_type;
  curl_off_t length = -1;
  curl().easy_getinfo(m_impl->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  if (length > 0) transfer.response.content_length = static_cast<std::uint64_t>(length);
  return std::move(transfer.response);
}

std::string trim_url(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

}  // namespace cmdai::llm
