#pragma once
// BackendInstance: one place a request can be sent - a backend type plus
// where it lives (endpoint or model file), its limits and what its model can
// do. Several instances may share a type (two vLLM servers, three Ollama
// hosts); the name tells them apart and is what users type after --backend
// and what history stores as backend_used.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "llm/backend.h"
#include "llm/backend_factory.h"

namespace cmdai::routing {

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
};

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
