#include "routing/instance.h"

#include "llm/backend_factory.h"

namespace cmdai::routing {

bool is_loopback_endpoint(std::string_view endpoint) {
  if (endpoint.empty() || endpoint.starts_with("unix:")) return true;
  auto scheme_end = endpoint.find("://");
  std::string_view rest = scheme_end == std::string_view::npos ? endpoint : endpoint.substr(scheme_end + 3);
  if (auto at = rest.find('@'); at != std::string_view::npos && at < rest.find('/')) rest = rest.substr(at + 1);
  std::string_view host;
  if (rest.starts_with('[')) {
    host = rest.substr(1, rest.find(']') - 1);
  } else {
    host = rest.substr(0, rest.find_first_of(":/"));
  }
  return host == "localhost" || host.starts_with("127.") || host == "::1" || host == "0:0:0:0:0:0:0:1";
}

std::string_view to_string(InstanceOrigin origin) {
  switch (origin) {
    case InstanceOrigin::configured: return "configured";
    case InstanceOrigin::command_line: return "command line";
    case InstanceOrigin::discovered: return "discovered";
  }
  return "configured";
}

std::string metrics_key(BackendType type, std::string_view endpoint, std::string_view model) {
  std::string_view base = endpoint;
  while (base.ends_with('/')) base.remove_suffix(1);
  if (type != BackendType::ollama && base.ends_with("/v1")) base.remove_suffix(3);
  while (base.ends_with('/')) base.remove_suffix(1);
  std::string key(to_string(type));
  key.append("|").append(base).append("|").append(model);
  return key;
}

std::string metrics_key(const BackendInstance& instance) {
  return metrics_key(instance.type, instance.endpoint, instance.model);
}

std::optional<MetricsKeyParts> parse_metrics_key(std::string_view key) {
  const auto first = key.find('|');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = key.find('|', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto type = parse_backend_type(key.substr(0, first));
  if (!type) return std::nullopt;
  return MetricsKeyParts{*type, std::string(key.substr(first + 1, second - first - 1)),
                         std::string(key.substr(second + 1))};
}

llm::BackendSpec to_spec(const BackendInstance& instance) {
  llm::BackendSpec spec;
  spec.name = instance.name;
  spec.type = instance.type;
  spec.endpoint = instance.endpoint;
  spec.model = instance.model;
  spec.timeout = instance.timeout;
  return spec;
}

BackendFactory default_backend_factory() {
  return [](const BackendInstance& instance) { return llm::create_backend(to_spec(instance)); };
}

}  // namespace cmdai::routing
