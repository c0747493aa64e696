#pragma once
// Discovery: finds the model servers people run on their own machine, so a
// new user's Ollama or llama-server answers without any configuration.
//
// Where it looks (known_servers(), a table): Ollama at OLLAMA_HOST in any of
// the forms Ollama itself accepts (host, host:port, http://host:port;
// 0.0.0.0 and :: mean this machine), else 127.0.0.1:11434, asking
// GET /api/tags; llama-server at 127.0.0.1:8080 (GET /health, /v1/models);
// LM Studio at 127.0.0.1:1234 and vLLM at 127.0.0.1:8000 (GET /v1/models).
// Only loopback addresses are probed, except a host the user named in
// OLLAMA_HOST. Ports can be moved (OLLAMA_HOST still wins for Ollama) or a
// server left out entirely with port 0: DiscoverySettings::ports, from
// CMDAI_DISCOVER_PORTS.
//
// A probe checks every port at once (port_check.h: a closed port costs
// microseconds and no HTTP), then asks the servers that accepted, in
// parallel, through the ordinary HealthChecker. Each answer is a
// HealthRecord (with the server's model list) recorded in the
// PerformanceMonitor under the metrics_key of the target's instance (type,
// endpoint, no model) - the same health cache every instance uses, which
// MetricsStore keeps in backend_metrics, so the next process knows what
// was found without probing. A record is fresh for k_health_ttl.
//
// Discovered instances are built from those records: a server that answered
// and lists a model that can chat, named after the server ("ollama", or
// "ollama-11434" when another instance already has that name),
// with its model chosen by model_choice.h unless the caller gives one.
// Servers already configured (same endpoint) are not discovered again.

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "routing/health_checker.h"
#include "routing/instance.h"
#include "routing/performance_monitor.h"

namespace cmdai::routing {

struct KnownServer {
  std::string_view name;  // "ollama", "llama-server", "lmstudio", "vllm"
  BackendType type;       // how cmdai talks to it
  int default_port;
  std::string_view probe;  // what is asked, in words
};

std::span<const KnownServer> known_servers();

struct DiscoverySettings {
  std::optional<std::string> ollama_host;         // OLLAMA_HOST as set; unset or blank: Ollama's default
  std::map<std::string, int, std::less<>> ports;  // server name -> port instead of its default; 0: not looked for
};

// "ollama=11500,vllm=0" (CMDAI_DISCOVER_PORTS) as a port map. Errors:
// invalid_argument naming the item that is not NAME=PORT with a known
// server name and a port from 0 to 65535.
Result<std::map<std::string, int, std::less<>>> parse_discovery_ports(std::string_view text);

// The endpoint OLLAMA_HOST means, the way Ollama reads it: no scheme means
// http, a scheme without port means 80/443, no port means 11434, a bad
// port the default (warned about), 0.0.0.0/:: and an empty host this
// machine. Errors: invalid_argument for a scheme other than http(s).
Result<std::string> ollama_endpoint(std::string_view ollama_host, std::vector<std::string>& warnings);

struct DiscoveryTarget {
  std::string server;  // KnownServer::name
  BackendType type = BackendType::openai;
  std::string endpoint;        // "http://127.0.0.1:11434"
  bool named_by_user = false;  // from OLLAMA_HOST (may be another machine)
};

// Where to look, in known_servers() order; problems with the settings
// (a bad OLLAMA_HOST) go to warnings and that server is looked for at its
// default place.
std::vector<DiscoveryTarget> discovery_targets(const DiscoverySettings& settings, std::vector<std::string>& warnings);

// The instance a target stands for before a model is chosen; its
// metrics_key is where the target's health record lives.
BackendInstance target_instance(const DiscoveryTarget& target);

// Probes every server now - ports first, then the health check where a
// port did not refuse - and records the results in monitor under each
// one's metrics_key; returns them in order. Bounded by the checker's
// timeout. Used for discovery targets (target_instance) and for configured
// instances whose model list is needed.
std::vector<HealthRecord> probe_servers(std::span<const BackendInstance> servers, const HealthChecker& checker,
                                        PerformanceMonitor& monitor, const ClockFn& clock, std::stop_token stop);

// A target and what its newest record says (no record: never probed).
struct FoundServer {
  DiscoveryTarget target;
  std::optional<HealthRecord> health;
};
std::vector<FoundServer> cached_servers(std::span<const DiscoveryTarget> targets, const PerformanceMonitor& monitor);

// True when every target has a record younger than ttl at now.
bool discovery_fresh(std::span<const FoundServer> servers, Timestamp now, std::chrono::seconds ttl = k_health_ttl);
// True when some target answered in its newest record.
bool any_answered(std::span<const FoundServer> servers);

// The newest health record that lists an instance's server's models: the
// instance's own (its health check lists them too), else its server's
// (the record without a model, which discovery and model choice keep);
// nullopt when neither lists any.
std::optional<HealthRecord> server_listing(const BackendInstance& instance, const PerformanceMonitor& monitor);

// Instances for the servers that answered and list a model that can chat
// (chosen by choose_model), leaving out those whose endpoint an instance in
// `existing` already has; names never clash with existing ones.
std::vector<BackendInstance> discovered_instances(std::span<const FoundServer> servers,
                                                  std::span<const BackendInstance> existing);

}  // namespace cmdai::routing
