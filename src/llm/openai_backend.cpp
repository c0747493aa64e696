#include "llm/openai_backend.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/entity_json.h"
#include "llm/http_transport.h"
#include "llm/sse_parser.h"

namespace cmdai::llm {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

json messages_json(const std::vector<Message>& messages) {
  json out = json::array();
  for (const auto& m : messages) out.push_back({{"role", m.role}, {"content", m.content}});
  return out;
}

// The message of an OpenAI-style error body ({"error": {"message": ...}} or
// {"error": "..."}), else the first bytes of the body.
std::string server_error_text(const std::string& body) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error")) {
    const auto& e = parsed["error"];
    if (e.is_string()) return e.get<std::string>();
    if (e.is_object() && e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
  }
  return body.substr(0, 200);
}

class OpenAiBackend final : public Backend {
 public:
  explicit OpenAiBackend(RemoteOptions options)
      : m_options(std::move(options)), m_base(openai_base_url(m_options.endpoint)) {}

  BackendType type() const override { return m_options.type; }
  std::string name() const override {
    return m_options.name.empty() ? std::string(to_string(m_options.type)) : m_options.name;
  }
  bool is_local() const override {
    return m_base.find("://127.") != std::string::npos || m_base.find("://localhost") != std::string::npos ||
           m_base.find("://[::1]") != std::string::npos;
  }

  Result<Completion> complete(const CompletionRequest& request, const TokenSink& on_token,
                              std::stop_token stop) override {
    auto first = attempt(request, on_token, stop, /*with_schema=*/!request.json_schema.empty());
    if (!first && first.error().code == ErrorCode::invalid_argument && !request.json_schema.empty()) {
      // The server does not know response_format; the tolerant parser copes.
      return attempt(request, on_token, stop, /*with_schema=*/false);
    }
    return first;
  }

  Result<HealthStatus> check_health(std::stop_token stop) override;

 private:
  HttpRequest base_request(std::string method, std::string path) const {
    HttpRequest r;
    r.method = std::move(method);
    r.url = m_base + path;
    r.connect_timeout = m_options.connect_timeout;
    r.idle_timeout = m_options.idle_timeout;
    r.headers.push_back("Content-Type: application/json");
    if (!m_options.api_key.empty()) r.headers.push_back("Authorization: Bearer " + m_options.api_key);
    return r;
  }

  std::string request_body(const CompletionRequest& request, bool with_schema) const {
    json body{{"messages", messages_json(request.messages)},
              {"stream", m_options.stream},
              {"max_tokens", request.max_tokens},
              {"temperature", 0.1},
              {"seed", 42}};
    if (!m_options.model.empty()) body["model"] = m_options.model;
    if (with_schema) {
      body["response_format"] = {{"type", "json_schema"},
                                 {"json_schema",
                                  {{"name", "shell_command"},
                                   {"strict", true},
                                   {"schema", json::parse(request.json_schema, nullptr, false)}}}};
    }
    return json_text(body);
  }

  Result<Completion> attempt(const CompletionRequest& request, const TokenSink& on_token, std::stop_token stop,
                             bool with_schema);
  Result<void> take_chunk(const std::string& data, Completion& out, const TokenSink& on_token, Clock::time_point start,
                          bool& done) const;
  Error http_error(long status, const std::string& body) const;

  RemoteOptions m_options;
  std::string m_base;
  HttpTransport m_transport;
};

Error OpenAiBackend::http_error(long status, const std::string& body) const {
  const std::string text = server_error_text(body);
  if (status == 401 || status == 403) {
    return Error{ErrorCode::unavailable, name() + " refused the API key (HTTP " + std::to_string(status) + ")",
                 "check the api key setting or the OPENAI_API_KEY variable"};
  }
  if (status == 404) {
    return Error{ErrorCode::unavailable, name() + " has no " + m_base + "/chat/completions (HTTP 404): " + text,
                 "check the endpoint; OpenAI-compatible servers serve /v1/chat/completions"};
  }
  if (status == 400 || status == 422) {
    return Error{ErrorCode::invalid_argument, name() + " rejected the request: " + text, {}};
  }
  return Error{ErrorCode::unavailable, name() + " answered HTTP " + std::to_string(status) + ": " + text, {}};
}

Result<void> OpenAiBackend::take_chunk(const std::string& data, Completion& out, const TokenSink& on_token,
                                       Clock::time_point start, bool& done) const {
  if (data == "[DONE]") {
    done = true;
    return {};
  }
  auto chunk = json::parse(data, nullptr, false);
  if (!chunk.is_object()) return fail(ErrorCode::corruption, name() + " sent a stream chunk that is not JSON");
  if (chunk.contains("error")) {
    return fail(ErrorCode::unavailable, name() + " reported an error mid-stream: " + server_error_text(data));
  }
  const auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array() || choices->empty()) return {};
  const json& choice = (*choices)[0];
  const json* content = nullptr;
  if (auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) {
    if (auto c = delta->find("content"); c != delta->end() && c->is_string()) content = &*c;
  }
  if (auto message = choice.find("message"); !content && message != choice.end() && message->is_object()) {
    if (auto c = message->find("content"); c != message->end() && c->is_string()) content = &*c;
  }
  if (content) {
    const auto& piece = content->get_ref<const std::string&>();
    if (!piece.empty()) {
      if (out.text.empty()) out.time_to_first_token = std::chrono::duration_cast<Micros>(Clock::now() - start);
      out.text += piece;
      ++out.tokens_generated;
      if (on_token) on_token(piece);
    }
  }
  if (auto usage = chunk.find("usage"); usage != chunk.end() && usage->is_object()) {
    if (auto n = usage->find("completion_tokens"); n != usage->end() && n->is_number_unsigned()) {
      out.tokens_generated = n->get<std::size_t>();
    }
  }
  if (auto reason = choice.find("finish_reason"); reason != choice.end() && reason->is_string()) done = true;
  return {};
}

Result<Completion> OpenAiBackend::attempt(const CompletionRequest& request, const TokenSink& on_token,
                                          std::stop_token stop, bool with_schema) {
  HttpRequest http = base_request("POST", "/chat/completions");
  http.body = request_body(request, with_schema);
  http.total_timeout = request.timeout;
  // A whole answer sends nothing until it is complete: only the request's
  // own timeout applies, not the gap between bytes.
  if (!m_options.stream) http.idle_timeout = std::max(http.idle_timeout, request.timeout);
  const auto start = Clock::now();
  Completion out;
  bool done = false;
  std::optional<Error> stream_error;
  SseParser sse([&](const SseEvent& event) {
    if (stream_error || done) return;
    if (auto taken = take_chunk(event.data, out, on_token, start, done); !taken) stream_error = taken.error();
  });
  BodySink sink;
  if (m_options.stream) {
    sink = [&](std::string_view bytes) {
      if (auto fed = sse.feed(bytes); !fed) stream_error = fed.error();
      return !stream_error.has_value();
    };
  }
  auto response = m_transport.perform(http, sink, stop);
  if (stream_error) return fail(*stream_error);
  if (!response) {
    if (response.error().code == ErrorCode::timeout) {
      return fail(ErrorCode::timeout, name() + " did not finish in time: " + response.error().message,
                  "the model may be overloaded; try again or use another backend");
    }
    return fail(response.error());
  }
  if (response->status >= 400) return fail(http_error(response->status, response->body));
  if (!m_options.stream) {
    bool ignored = false;
    CMDAI_TRY(take_chunk(response->body, out, on_token, start, ignored));
    return out;
  }
  sse.finish();
  if (stream_error) return fail(*stream_error);
  if (!done) {
    return fail(ErrorCode::unavailable, name() + " closed the stream before it finished",
                "the server may have stopped; check it and try again");
  }
  return out;
}

Result<HealthStatus> OpenAiBackend::check_health(std::stop_token stop) {
  const auto start = Clock::now();
  HealthStatus status;
  HttpRequest health = base_request("GET", "");
  health.url = m_base.ends_with("/v1") ? m_base.substr(0, m_base.size() - 3) + "/health" : m_base + "/health";
  health.idle_timeout = std::min(m_options.idle_timeout, std::chrono::milliseconds{5'000});
  auto h = m_transport.perform(health, {}, stop);
  if (!h) return fail(h.error());
  auto models = m_transport.perform(base_request("GET", "/models"), {}, stop);
  if (!models) return fail(models.error());
  status.latency = std::chrono::duration_cast<Micros>(Clock::now() - start);
  if (models->status >= 400 && h->status >= 400) {
    status.detail = "HTTP " + std::to_string(models->status) + " from /v1/models";
    return status;
  }
  auto parsed = json::parse(models->body, nullptr, false);
  if (parsed.is_object() && parsed.contains("data") && parsed["data"].is_array()) {
    for (const auto& m : parsed["data"]) {
      if (m.is_object() && m.contains("id") && m["id"].is_string()) status.models.push_back(m["id"].get<std::string>());
    }
  }
  status.healthy = h->status < 400 || models->status < 400;
  status.detail = status.healthy ? "ok" : "HTTP " + std::to_string(h->status) + " from /health";
  return status;
}

}  // namespace

std::string openai_base_url(std::string_view endpoint) {
  std::string base = trim_url(endpoint);
  if (base.empty()) base = "http://127.0.0.1:8080";
  if (!base.ends_with("/v1")) base += "/v1";
  return base;
}

std::unique_ptr<Backend> make_openai_backend(const RemoteOptions& options) {
  return std::make_unique<OpenAiBackend>(options);
}

}  // namespace cmdai::llm
