#include "routing/model_info.h"

#include <algorithm>
#include <cstdint>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/entity_json.h"
#include "llm/http_transport.h"
#include "llm/openai_backend.h"

namespace cmdai::routing {
namespace {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t k_max_body = 4 << 20;  // /api/show carries license and template text
constexpr std::size_t k_max_capability = 32;

std::optional<json> parse_object(std::string_view body) {
  if (body.size() > k_max_body) return std::nullopt;
  auto parsed = json::parse(body.begin(), body.end(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

// A context length in range, from a JSON number (or a digit string).
int context_value(const json& value) {
  std::int64_t n = 0;
  if (value.is_number_unsigned()) {
    n = value.get<std::uint64_t>() > static_cast<std::uint64_t>(k_max_reported_context) ? 0 : value.get<std::int64_t>();
  } else if (value.is_number_integer()) {
    n = value.get<std::int64_t>();
  }
  return n > 0 && n <= k_max_reported_context ? static_cast<int>(n) : 0;
}

int context_at(const json& object, std::string_view key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it == object.end() ? 0 : context_value(*it);
}

bool plain_token(const std::string& word) {
  return !word.empty() && word.size() <= k_max_capability && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

std::string text_at(const json& object, std::string_view key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  std::string text = it->get<std::string>();
  return plain_token(text) ? text : std::string{};
}

void add_capabilities(const json& object, std::vector<std::string>& out) {
  if (!object.is_object()) return;
  auto it = object.find("capabilities");
  if (it == object.end() || !it->is_array()) return;
  for (const auto& item : *it) {
    if (!item.is_string()) continue;
    std::string word = item.get<std::string>();
    if (plain_token(word) && std::find(out.begin(), out.end(), word) == out.end()) out.push_back(std::move(word));
  }
}

std::optional<ReportedModel> unless_empty(ReportedModel model) {
  if (model.empty()) return std::nullopt;
  return model;
}

// The entry of `list` whose `key` is model, else the first object.
const json* entry_for(const json& list, std::string_view key, std::string_view model) {
  if (!list.is_array() || list.empty()) return nullptr;
  for (const auto& entry : list) {
    if (!model.empty() && entry.is_object() && entry.contains(key) && entry[std::string(key)].is_string() &&
        entry[std::string(key)].get<std::string>() == model)
      return &entry;
  }
  return list.front().is_object() ? &list.front() : nullptr;
}

// "num_ctx 8192" in Ollama's modelfile-style parameters text.
int num_ctx_parameter(const json& show) {
  auto it = show.find("parameters");
  if (it == show.end() || !it->is_string()) return 0;
  std::istringstream lines(it->get<std::string>());
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    long long value = 0;
    if (words >> name && name == "num_ctx" && words >> value && value > 0 && value <= k_max_reported_context)
      return static_cast<int>(value);
  }
  return 0;
}

}  // namespace

std::optional<ReportedModel> parse_llama_props(std::string_view body) {
  auto props = parse_object(body);
  if (!props) return std::nullopt;
  ReportedModel model;
  model.source = "/props";
  if (auto settings = props->find("default_generation_settings"); settings != props->end())
    model.context_length = context_at(*settings, "n_ctx");
  if (auto modalities = props->find("modalities"); modalities != props->end() && modalities->is_object()) {
    for (const auto& [name, on] : modalities->items()) {
      if (on.is_boolean() && on.get<bool>() && plain_token(name)) model.capabilities.push_back(name);
    }
  }
  return unless_empty(std::move(model));
}

std::optional<ReportedModel> parse_openai_models(std::string_view body, std::string_view model_name) {
  auto models = parse_object(body);
  if (!models) return std::nullopt;
  ReportedModel model;
  model.source = "/v1/models";
  const json data = models->value("data", json());
  if (const json* entry = entry_for(data, "id", model_name)) {
    model.context_length = context_at(entry->value("meta", json()), "n_ctx");
    if (model.context_length == 0) model.context_length = context_at(*entry, "max_model_len");  // vLLM
  }
  // llama-server also lists its model the Ollama way, with capabilities.
  const json listed = models->value("models", json());
  if (const json* entry = entry_for(listed, "model", model_name)) {
    add_capabilities(*entry, model.capabilities);
    model.model_family = text_at(entry->value("details", json()), "family");
  }
  return unless_empty(std::move(model));
}

std::optional<ReportedModel> parse_ollama_show(std::string_view body) {
  auto show = parse_object(body);
  if (!show) return std::nullopt;
  ReportedModel model;
  model.source = "/api/show";
  model.context_length = num_ctx_parameter(*show);
  const json info = show->value("model_info", json());
  const std::string architecture = text_at(info, "general.architecture");
  if (model.context_length == 0 && !architecture.empty())
    model.context_length = context_at(info, architecture + ".context_length");
  model.model_family = text_at(show->value("details", json()), "family");
  if (model.model_family.empty()) model.model_family = architecture;
  add_capabilities(*show, model.capabilities);
  return unless_empty(std::move(model));
}

ReportedModel merge_reported(ReportedModel first, const ReportedModel& later) {
  if (first.context_length == 0 && later.context_length > 0) {
    first.context_length = later.context_length;
    first.source = later.source;
  }
  for (const auto& capability : later.capabilities) {
    if (std::find(first.capabilities.begin(), first.capabilities.end(), capability) == first.capabilities.end())
      first.capabilities.push_back(capability);
  }
  if (first.model_family.empty()) first.model_family = later.model_family;
  if (first.source.empty()) first.source = later.source;
  return first;
}

namespace {

// One GET or POST within what is left of the deadline; the body of a
// successful response, else nullopt.
std::optional<std::string> fetch(llm::HttpTransport& transport, std::string method, std::string url, std::string body,
                                 SteadyClock::time_point deadline, std::stop_token stop) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  if (left <= std::chrono::milliseconds{0}) return std::nullopt;
  llm::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.body = std::move(body);
  if (!request.body.empty()) request.headers.push_back("Content-Type: application/json");
  request.connect_timeout = left;
  request.idle_timeout = left;
  request.total_timeout = left;
  auto response = transport.perform(request, {}, stop);
  if (!response || response->status >= 400) return std::nullopt;
  return std::move(response->body);
}

std::optional<ReportedModel> probe_openai(const BackendInstance& instance, SteadyClock::time_point deadline,
                                          std::stop_token stop) {
  llm::HttpTransport transport;
  const std::string base = llm::openai_base_url(instance.endpoint);
  const std::string root = base.substr(0, base.size() - 3);  // without "/v1"
  std::optional<ReportedModel> props;
  if (auto body = fetch(transport, "GET", root + "/props", "", deadline, stop)) props = parse_llama_props(*body);
  std::optional<ReportedModel> models;
  if (auto body = fetch(transport, "GET", base + "/models", "", deadline, stop))
    models = parse_openai_models(*body, instance.model);
  if (props && models) return merge_reported(*props, *models);
  return props ? props : models;
}

std::optional<ReportedModel> probe_ollama(const BackendInstance& instance, SteadyClock::time_point deadline,
                                          std::stop_token stop) {
  if (instance.model.empty()) return std::nullopt;
  llm::HttpTransport transport;
  const std::string request = json_text(json{{"model", instance.model}});
  auto body = fetch(transport, "POST", llm::trim_url(instance.endpoint) + "/api/show", request, deadline, stop);
  return body ? parse_ollama_show(*body) : std::nullopt;
}

}  // namespace

ModelInfoProbe http_model_info_probe() {
  return [](const BackendInstance& instance, std::chrono::milliseconds timeout,
            std::stop_token stop) -> std::optional<ReportedModel> {
    const auto deadline = SteadyClock::now() + timeout;
    switch (instance.type) {
      case BackendType::openai:
      case BackendType::vllm:
      case BackendType::mlx: return probe_openai(instance, deadline, stop);
      case BackendType::ollama: return probe_ollama(instance, deadline, stop);
      default: return std::nullopt;
    }
  };
}

}  // namespace cmdai::routing
