#include "llm/server_embeddings.h"

#include <nlohmann/json.hpp>

#include "core/entity_json.h"
#include "llm/http_transport.h"
#include "llm/openai_backend.h"

namespace cmdai::llm {
namespace {

using nlohmann::json;

std::optional<std::vector<float>> float_vector(const json& value) {
  if (!value.is_array() || value.empty()) return std::nullopt;
  std::vector<float> out;
  out.reserve(value.size());
  for (const auto& x : value) {
    if (!x.is_number()) return std::nullopt;
    out.push_back(x.get<float>());
  }
  return out;
}

// The vectors of a reply: Ollama's "embeddings", or OpenAI's data[].embedding by index.
std::optional<std::vector<std::vector<float>>> reply_vectors(const json& body, std::size_t count) {
  std::vector<std::vector<float>> out(count);
  if (auto list = body.find("embeddings"); list != body.end() && list->is_array() && list->size() == count) {
    for (std::size_t i = 0; i < count; ++i) {
      auto vector = float_vector((*list)[i]);
      if (!vector) return std::nullopt;
      out[i] = std::move(*vector);
    }
  } else if (auto data = body.find("data"); data != body.end() && data->is_array() && data->size() == count) {
    for (std::size_t i = 0; i < count; ++i) {
      const json& item = (*data)[i];
      const std::size_t index = item.is_object() && item.contains("index") && item["index"].is_number_unsigned()
                                    ? item["index"].get<std::size_t>()
                                    : i;
      auto vector = item.is_object() ? float_vector(item.value("embedding", json())) : std::nullopt;
      if (!vector || index >= count) return std::nullopt;
      out[index] = std::move(*vector);
    }
  } else {
    return std::nullopt;
  }
  for (const auto& vector : out) {
    if (vector.empty() || vector.size() != out.front().size()) return std::nullopt;
  }
  return out;
}

std::string error_text(const std::string& body, long status) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error")) {
    const auto& e = parsed["error"];
    if (e.is_string()) return e.get<std::string>();
    if (e.is_object() && e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
  }
  return "HTTP " + std::to_string(status);
}

HttpRequest embed_request(const RemoteOptions& options, std::span<const std::string> texts) {
  HttpRequest request;
  request.method = "POST";
  request.url = options.type == BackendType::ollama ? trim_url(options.endpoint) + "/api/embed"
                                                    : openai_base_url(options.endpoint) + "/embeddings";
  request.connect_timeout = options.connect_timeout;
  request.idle_timeout = options.idle_timeout;
  request.total_timeout = options.idle_timeout;
  request.headers.push_back("Content-Type: application/json");
  if (!options.api_key.empty()) request.headers.push_back("Authorization: Bearer " + options.api_key);
  json body{{"input", std::vector<std::string>(texts.begin(), texts.end())}};
  if (!options.model.empty()) body["model"] = options.model;
  request.body = json_text(body);
  return request;
}

}  // namespace

Result<std::vector<std::vector<float>>> server_embeddings(const RemoteOptions& options,
                                                          std::span<const std::string> texts, std::stop_token stop) {
  if (texts.empty()) return std::vector<std::vector<float>>{};
  HttpTransport transport;
  auto response = transport.perform(embed_request(options, texts), {}, stop);
  if (!response) return fail(response.error());
  const std::string where = options.endpoint + " (" + options.model + ")";
  if (response->status >= 400) {
    const std::string text = error_text(response->body, response->status);
    std::string hint = "check that the server has this embedding model";
    if (options.type == BackendType::ollama) hint = "run: ollama pull " + options.model;
    return fail(ErrorCode::unavailable, "embeddings from " + where + " failed: " + text, hint);
  }
  auto vectors = reply_vectors(json::parse(response->body, nullptr, false), texts.size());
  if (!vectors) {
    return fail(ErrorCode::model_output_invalid,
                "embeddings from " + where + " are not one vector per text of the same length",
                "the server may not serve embeddings for this model");
  }
  return std::move(*vectors);
}

}  // namespace cmdai::llm
