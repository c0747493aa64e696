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
