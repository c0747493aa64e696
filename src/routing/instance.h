#pragma once
// BackendInstance: one place a request can be sent - a backend type plus
// where it lives (endpoint or model file), its limits and what its model can
// do. Several instances may share a type (two vLLM servers, three Ollama
// hosts); the name tells them apart and is what users type after --backend
// and what history stores as backend_used.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "llm/backend.h"
#include "llm/backend_factory.h"

namespace cmdai::routing {

// Where an instance came from: the configuration file (or environment),
// the command line (--backend/--endpoint/--model, or an installed GGUF), or
// discovery of a server running on this machine (discovery.h).
enum class InstanceOrigin { configured, command_line, discovered };

struct BackendInstance {
  std::string name;  // unique; "rules", "llama", "ollama", or a configured name
  BackendType type = BackendType::rules;
  std::string endpoint;                       // server backends: http(s) URL
  std::string model;                          // model name, or a GGUF path for llama
  bool local = true;                          // true when no data leaves the machine
  std::chrono::milliseconds timeout{30'000};  // one request, end to end
  int retries = 1;                            // attempts on this instance before moving on
  // What the model offers; empty or 0 means "not declared". Declared values
  // are checked against SelectionCriteria; undeclared ones never exclude.
  int context_length = 0;
  std::vector<std::string> capabilities;  // e.g. "json_schema", "streaming"
  std::string model_family;               // e.g. "qwen2", "llama"
  InstanceOrigin origin = InstanceOrigin::configured;
  // Set when the model was picked from the server's list rather than
  // configured: why this one ("a code model, first of 2 listed").
  std::string model_reason;
  std::string server;  // discovered instances: what answered there ("ollama", "llama-server", ...)
};

std::string_view to_string(InstanceOrigin origin);

// What health and metrics are kept under: the backend type, the server's
// endpoint (trailing '/' and an OpenAI-style "/v1" removed, so two
// spellings of one server share a key) and the model, joined by '|'
// ("ollama|http://127.0.0.1:11434|qwen2.5-coder:1.5b"; rules: "rules||").
// Two instances that differ only in name share figures; correcting an
// endpoint or model starts from nothing instead of inheriting a verdict.
std::string metrics_key(BackendType type, std::string_view endpoint, std::string_view model);
std::string metrics_key(const BackendInstance& instance);

// The parts of a key metrics_key() made; nullopt for anything else (rows
// written before keys had this form).
struct MetricsKeyParts {
  BackendType type = BackendType::rules;
  std::string endpoint;
  std::string model;
};
std::optional<MetricsKeyParts> parse_metrics_key(std::string_view key);

// True for localhost, 127.0.0.0/8, ::1 and unix sockets: nothing leaves the
// machine. Anything else counts as remote.
bool is_loopback_endpoint(std::string_view endpoint);

// Creates the Backend object for an instance. The default goes through
// llm::create_backend; tests inject fakes.
using BackendFactory = std::function<Result<std::unique_ptr<llm::Backend>>(const BackendInstance&)>;
BackendFactory default_backend_factory();

// The spec llm::create_backend receives for an instance.
llm::BackendSpec to_spec(const BackendInstance& instance);

}  // namespace cmdai::routing
