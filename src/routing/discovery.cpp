#include "routing/discovery.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>

#include "routing/model_choice.h"
#include "routing/port_check.h"

namespace cmdai::routing {
namespace {

constexpr std::array<KnownServer, 4> k_servers{{
    {"ollama", BackendType::ollama, 11434, "GET /api/tags"},
    {"llama-server", BackendType::openai, 8080, "GET /health, /v1/models"},
    {"lmstudio", BackendType::openai, 1234, "GET /v1/models"},
    {"vllm", BackendType::vllm, 8000, "GET /health, /v1/models"},
}};

// A closed loopback port refuses at once; this bounds a host the user named
// that drops packets (the HTTP probe then has its own timeout).
constexpr std::chrono::milliseconds k_port_timeout{250};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

std::optional<int> port_number(std::string_view text) {
  int port = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) return std::nullopt;
  return port;
}

// "host:port" split as Go's net.SplitHostPort does for the forms Ollama
// accepts: "[::1]:11434", "0.0.0.0:11434", ":11434"; nullopt without a port.
std::optional<std::pair<std::string, std::string>> split_host_port(std::string_view hostport) {
  if (hostport.starts_with('[')) {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos || close + 1 >= hostport.size() || hostport[close + 1] != ':')
      return std::nullopt;
    return std::pair{std::string(hostport.substr(1, close - 1)), std::string(hostport.substr(close + 2))};
  }
  const auto colon = hostport.find(':');
  if (colon == std::string_view::npos || hostport.find(':', colon + 1) != std::string_view::npos) return std::nullopt;
  return std::pair{std::string(hostport.substr(0, colon)), std::string(hostport.substr(colon + 1))};
}

// "0.0.0.0" and "::" mean every interface to a server; to a client, this machine.
std::string client_host(std::string host) {
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
  if (host == "::" || host == "::0") return "[::1]";
  if (host.find(':') != std::string::npos) return "[" + host + "]";  // IPv6 literal
  return host;
}

std::string loopback_endpoint(int port) { return "http://127.0.0.1:" + std::to_string(port); }

bool same_server(const BackendInstance& a, const BackendInstance& b) {
  // metrics_key normalises the endpoint; the type decides nothing here
  // (an "openai" instance may point at a discovered llama-server).
  const auto key_a = metrics_key(BackendType::openai, a.endpoint, "");
  const auto key_b = metrics_key(BackendType::openai, b.endpoint, "");
  return !a.endpoint.empty() && key_a == key_b;
}

std::string unused_name(const FoundServer& found, std::span<const BackendInstance> existing,
                        const std::vector<BackendInstance>& taken) {
  const auto used = [&](const std::string& name) {
    const auto named = [&](const BackendInstance& i) { return i.name == name; };
    return std::any_of(existing.begin(), existing.end(), named) || std::any_of(taken.begin(), taken.end(), named);
  };
  std::string name = found.target.server;
  if (!used(name)) return name;
  const auto colon = found.target.endpoint.rfind(':');
  name += "-" + found.target.endpoint.substr(colon + 1);
  for (int n = 2; used(name); ++n) name = found.target.server + "-" + std::to_string(n);
  return name;
}

}  // namespace

std::span<const KnownServer> known_servers() { return k_servers; }

Result<std::map<std::string, int, std::less<>>> parse_discovery_ports(std::string_view text) {
  std::map<std::string, int, std::less<>> ports;
  while (!trimmed(text).empty()) {
    const auto comma = text.find(',');
    const std::string_view item = trimmed(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto equals = item.find('=');
    const std::string_view name = equals == std::string_view::npos ? item : trimmed(item.substr(0, equals));
    const auto known = std::find_if(k_servers.begin(), k_servers.end(), [&](const auto& s) { return s.name == name; });
    const auto port = equals == std::string_view::npos ? std::nullopt : port_number(trimmed(item.substr(equals + 1)));
    if (known == k_servers.end() || !port) {
      return fail(ErrorCode::invalid_argument, "discovery port '" + std::string(item) + "' is not NAME=PORT",
                  "names: ollama, llama-server, lmstudio, vllm; ports 1-65535, or 0 to not look for that server");
    }
    ports[std::string(name)] = *port;
  }
  return ports;
}

Result<std::string> ollama_endpoint(std::string_view ollama_host, std::vector<std::string>& warnings) {
  std::string_view text = trimmed(ollama_host);
  std::string scheme = "http";
  std::string default_port = "11434";
  if (const auto sep = text.find("://"); sep != std::string_view::npos) {
    scheme = std::string(text.substr(0, sep));
    if (scheme != "http" && scheme != "https") {
      return fail(ErrorCode::invalid_argument, "OLLAMA_HOST has the scheme '" + scheme + "'",
                  "use host, host:port or http(s)://host:port");
    }
    default_port = scheme == "http" ? "80" : "443";
    text = text.substr(sep + 3);
  }
  const std::string_view hostport = text.substr(0, text.find('/'));
  std::string host;
  std::string port;
  if (auto split = split_host_port(hostport)) {
    std::tie(host, port) = *split;
  } else {
    host = std::string(hostport);
    port = default_port;
  }
  if (!port_number(port) || *port_number(port) == 0) {
    warnings.push_back("OLLAMA_HOST has the port '" + port + "'; using " + default_port);
    port = default_port;
  }
  return scheme + "://" + client_host(host) + ":" + port;
}

std::vector<DiscoveryTarget> discovery_targets(const DiscoverySettings& settings, std::vector<std::string>& warnings) {
  std::vector<DiscoveryTarget> targets;
  for (const auto& server : k_servers) {
    const auto moved = settings.ports.find(server.name);
    const int port = moved == settings.ports.end() ? server.default_port : moved->second;
    if (port == 0) continue;  // not looked for at all, even at OLLAMA_HOST
    DiscoveryTarget target{std::string(server.name), server.type, loopback_endpoint(port), false};
    const bool named =
        server.type == BackendType::ollama && settings.ollama_host && !trimmed(*settings.ollama_host).empty();
    if (named) {
      auto endpoint = ollama_endpoint(*settings.ollama_host, warnings);
      if (endpoint) {
        target.endpoint = *endpoint;
        target.named_by_user = true;
      } else {
        warnings.push_back(endpoint.error().describe());
      }
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

BackendInstance target_instance(const DiscoveryTarget& target) {
  BackendInstance instance;
  instance.name = target.server;
  instance.type = target.type;
  instance.endpoint = target.endpoint;
  instance.local = is_loopback_endpoint(target.endpoint);
  instance.origin = InstanceOrigin::discovered;
  instance.server = target.server;
  instance.retries = 0;
  return instance;
}

std::vector<HealthRecord> probe_servers(std::span<const BackendInstance> servers, const HealthChecker& checker,
                                        PerformanceMonitor& monitor, const ClockFn& clock, std::stop_token stop) {
  std::vector<std::string> endpoints;
  for (const auto& server : servers) endpoints.push_back(server.endpoint);
  const auto ports = check_ports(endpoints, k_port_timeout);
  std::vector<const BackendInstance*> open;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    if (ports[i] != PortState::refused) open.push_back(&servers[i]);
  }
  const auto answers = checker.check_all(open, stop);
  std::vector<HealthRecord> records(servers.size());
  for (std::size_t i = 0, k = 0; i < servers.size(); ++i) {
    records[i] = ports[i] == PortState::refused ? HealthRecord{false, "nothing listening", {}, clock()} : answers[k++];
    if (!stop.stop_requested()) monitor.record_health(metrics_key(servers[i]), records[i]);
  }
  return records;
}

std::vector<FoundServer> cached_servers(std::span<const DiscoveryTarget> targets, const PerformanceMonitor& monitor) {
  std::vector<FoundServer> out;
  for (const auto& target : targets)
    out.push_back({target, monitor.stats(metrics_key(target_instance(target))).health});
  return out;
}

bool discovery_fresh(std::span<const FoundServer> servers, Timestamp now, std::chrono::seconds ttl) {
  return std::all_of(servers.begin(), servers.end(),
                     [&](const FoundServer& s) { return s.health && s.health->checked_at + ttl >= now; });
}

bool any_answered(std::span<const FoundServer> servers) {
  return std::any_of(servers.begin(), servers.end(),
                     [](const FoundServer& s) { return s.health && s.health->healthy; });
}

std::optional<HealthRecord> server_listing(const BackendInstance& instance, const PerformanceMonitor& monitor) {
  if (instance.type == BackendType::rules || instance.type == BackendType::llama) return std::nullopt;
  auto own = monitor.stats(metrics_key(instance)).health;
  if (own && !own->models.empty()) return own;
  auto server = monitor.stats(metrics_key(instance.type, instance.endpoint, "")).health;
  if (server && !server->models.empty()) return server;
  return std::nullopt;
}

std::vector<BackendInstance> discovered_instances(std::span<const FoundServer> servers,
                                                  std::span<const BackendInstance> existing) {
  std::vector<BackendInstance> out;
  for (const auto& found : servers) {
    if (!found.health || !found.health->healthy) continue;
    BackendInstance instance = target_instance(found.target);
    const auto configured = [&](const BackendInstance& i) { return same_server(i, instance); };
    if (std::any_of(existing.begin(), existing.end(), configured)) continue;
    auto choice = choose_model(found.health->models, found.health->embedding_models);
    if (!choice) continue;
    instance.model = choice->model;
    instance.model_reason = choice->reason;
    instance.name = unused_name(found, existing, out);
    out.push_back(std::move(instance));
  }
  return out;
}

}  // namespace cmdai::routing
