#include "llm/ollama_backend.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/entity_json.h"
#include "llm/http_transport.h"
#include "llm/ndjson_parser.h"

namespace cmdai::llm {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr std::string_view k_default_endpoint = "http://127.0.0.1:11434";

std::string base_url(const RemoteOptions& options) {
  return options.endpoint.empty() ? std::string(k_default_endpoint) : trim_url(options.endpoint);
}

HttpRequest make_request(const RemoteOptions& options, std::string method, std::string_view path) {
  HttpRequest r;
  r.method = std::move(method);
  r.url = base_url(options) + std::string(path);
  r.connect_timeout = options.connect_timeout;
  r.idle_timeout = options.idle_timeout;
  r.headers.push_back("Content-Type: application/json");
  if (!options.api_key.empty()) r.headers.push_back("Authorization: Bearer " + options.api_key);
  return r;
}

// Ollama's error text, for a body {"error": "..."}.
std::optional<std::string> error_text(const json& object) {
  if (!object.is_object()) return std::nullopt;
  auto e = object.find("error");
  if (e == object.end()) return std::nullopt;
  return e->is_string() ? e->get<std::string>() : e->dump();
}

Error translate_error(const std::string& model, const std::string& text) {
  if (text.find("not found") != std::string::npos &&
      (text.find("model") != std::string::npos || text.find("pull") != std::string::npos)) {
    return Error{ErrorCode::unavailable, "the Ollama model '" + model + "' is not installed (" + text + ")",
                 "run: ollama pull " + model};
  }
  return Error{ErrorCode::unavailable, "Ollama reported an error: " + text, {}};
}

// A /api/tags entry whose family is a BERT one: it embeds, it cannot chat
// (nomic-embed-text is "nomic-bert", all-minilm and bge "bert").
bool embedding_only(const json& entry) {
  auto details = entry.find("details");
  if (details == entry.end() || !details->is_object()) return false;
  const auto bert = [](const json& family) {
    return family.is_string() && family.get<std::string>().find("bert") != std::string::npos;
  };
  if (auto family = details->find("family"); family != details->end() && bert(*family)) return true;
  auto families = details->find("families");
  return families != details->end() && families->is_array() && std::any_of(families->begin(), families->end(), bert);
}

class OllamaBackend final : public Backend {
 public:
  explicit OllamaBackend(RemoteOptions options) : m_options(std::move(options)) {}

  BackendType type() const override { return BackendType::ollama; }
  std::string name() const override { return m_options.name.empty() ? "ollama" : m_options.name; }
  bool is_local() const override {
    const std::string base = base_url(m_options);
    return base.find("://127.") != std::string::npos || base.find("://localhost") != std::string::npos;
  }

  Result<Completion> complete(const CompletionRequest& request, const TokenSink& on_token,
                              std::stop_token stop) override;
  Result<HealthStatus> check_health(std::stop_token stop) override;

 private:
  std::string request_body(const CompletionRequest& request) const;
  Result<void> take_line(const json& line, Completion& out, const TokenSink& on_token, Clock::time_point start,
                         bool& done) const;

  RemoteOptions m_options;
  HttpTransport m_transport;
};

std::string OllamaBackend::request_body(const CompletionRequest& request) const {
  json messages = json::array();
  for (const auto& m : request.messages) messages.push_back({{"role", m.role}, {"content", m.content}});
  json body{{"model", m_options.model},
            {"messages", messages},
            {"stream", m_options.stream},
            {"options", {{"temperature", 0.1}, {"num_predict", request.max_tokens}}}};
  if (!request.json_schema.empty()) {
    auto schema = json::parse(request.json_schema, nullptr, false);
    body["format"] = schema.is_discarded() ? json("json") : schema;
  }
  return json_text(body);
}

Result<void> OllamaBackend::take_line(const json& line, Completion& out, const TokenSink& on_token,
                                      Clock::time_point start, bool& done) const {
  if (auto text = error_text(line)) return fail(translate_error(m_options.model, *text));
  if (!line.is_object()) return fail(ErrorCode::corruption, "Ollama sent a line that is not a JSON object");
  if (auto message = line.find("message"); message != line.end() && message->is_object()) {
    if (auto content = message->find("content"); content != message->end() && content->is_string()) {
      const auto& piece = content->get_ref<const std::string&>();
      if (!piece.empty()) {
        if (out.text.empty()) out.time_to_first_token = std::chrono::duration_cast<Micros>(Clock::now() - start);
        out.text += piece;
        ++out.tokens_generated;
        if (on_token) on_token(piece);
      }
    }
  }
  if (auto d = line.find("done"); d != line.end() && d->is_boolean() && d->get<bool>()) {
    done = true;
    if (auto n = line.find("eval_count"); n != line.end() && n->is_number_unsigned()) {
      out.tokens_generated = n->get<std::size_t>();
    }
  }
  return {};
}

Result<Completion> OllamaBackend::complete(const CompletionRequest& request, const TokenSink& on_token,
                                           std::stop_token stop) {
  if (m_options.model.empty()) {
    return fail(ErrorCode::invalid_argument, "no Ollama model given", "pass --model NAME (see: ollama list)");
  }
  HttpRequest http = make_request(m_options, "POST", "/api/chat");
  http.body = request_body(request);
  http.total_timeout = request.timeout;
  // stream: false answers with one JSON object once the answer is complete.
  if (!m_options.stream) http.idle_timeout = std::max(http.idle_timeout, request.timeout);
  const auto start = Clock::now();
  Completion out;
  bool done = false;
  std::optional<Error> stream_error;
  NdjsonParser lines([&](const json& line) {
    if (stream_error) return;
    if (auto taken = take_line(line, out, on_token, start, done); !taken) stream_error = taken.error();
  });
  auto response = m_transport.perform(
      http,
      [&](std::string_view bytes) {
        if (auto fed = lines.feed(bytes); !fed && !stream_error) stream_error = fed.error();
        return !stream_error.has_value();
      },
      stop);
  if (stream_error) return fail(*stream_error);
  if (!response) return fail(response.error());
  if (response->status >= 400) {
    auto body = json::parse(response->body, nullptr, false);
    const auto text = error_text(body).value_or("HTTP " + std::to_string(response->status));
    return fail(translate_error(m_options.model, text));
  }
  if (auto finished = lines.finish(); !finished) return fail(finished.error());
  if (stream_error) return fail(*stream_error);
  if (!done) {
    return fail(ErrorCode::unavailable, "the Ollama stream ended before the answer was done",
                "Ollama may have stopped or run out of memory; check `ollama ps` and try again");
  }
  return out;
}

Result<HealthStatus> OllamaBackend::check_health(std::stop_token stop) {
  const auto start = Clock::now();
  auto response = m_transport.perform(make_request(m_options, "GET", "/api/tags"), {}, stop);
  if (!response) return fail(response.error());
  HealthStatus status;
  status.latency = std::chrono::duration_cast<Micros>(Clock::now() - start);
  auto body = json::parse(response->body, nullptr, false);
  if (response->status >= 400 || !body.is_object()) {
    status.detail = "HTTP " + std::to_string(response->status) + " from /api/tags";
    return status;
  }
  if (auto models = body.find("models"); models != body.end() && models->is_array()) {
    for (const auto& m : *models) {
      if (!m.is_object() || !m.contains("name") || !m["name"].is_string()) continue;
      status.models.push_back(m["name"].get<std::string>());
      if (embedding_only(m)) status.embedding_models.push_back(status.models.back());
    }
  }
  status.healthy = true;
  status.detail = "ok";
  if (!m_options.model.empty() &&
      std::find(status.models.begin(), status.models.end(), m_options.model) == status.models.end() &&
      std::find(status.models.begin(), status.models.end(), m_options.model + ":latest") == status.models.end()) {
    status.healthy = false;
    status.detail = "model '" + m_options.model + "' is not pulled (run: ollama pull " + m_options.model + ")";
  }
  return status;
}

}  // namespace

std::unique_ptr<Backend> make_ollama_backend(const RemoteOptions& options) {
  return std::make_unique<OllamaBackend>(options);
}

Result<std::optional<int>> ollama_context_length(const RemoteOptions& options, std::stop_token stop) {
  HttpTransport transport;
  HttpRequest request = make_request(options, "POST", "/api/show");
  request.body = json_text(json{{"model", options.model}});
  auto response = transport.perform(request, {}, stop);
  if (!response) return fail(response.error());
  auto body = json::parse(response->body, nullptr, false);
  if (response->status >= 400) {
    return fail(translate_error(options.model, error_text(body).value_or("HTTP " + std::to_string(response->status))));
  }
  if (!body.is_object() || !body.contains("model_info") || !body["model_info"].is_object()) return std::optional<int>{};
  for (const auto& [key, value] : body["model_info"].items()) {
    if (key.ends_with(".context_length") && value.is_number_integer()) return std::optional<int>(value.get<int>());
  }
  return std::optional<int>{};
}

}  // namespace cmdai::llm
