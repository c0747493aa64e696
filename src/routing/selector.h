#pragma once
// BackendSelector: knows the configured backend instances and picks which one
// answers a request, with the fallback chain to try after it. The rules
// backend is always available and always last.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "llm/backend.h"

namespace cmdai::routing {

struct BackendInstance {
  std::string name;  // unique; "rules", "llama", "ollama", or a configured name
  BackendType type = BackendType::rules;
  std::string endpoint;  // server backends
  std::string model;     // model name, or a GGUF path for llama
  bool local = true;
};

struct SelectionCriteria {
  std::optional<std::string> preferred;  // an instance name or a backend type name
  bool require_local = false;
};

struct SelectionResult {
  std::string selected_backend;             // instance name
  std::string selection_reason;             // in words, for users and logs
  std::vector<std::string> fallback_chain;  // instance names after the selected one
  Micros estimated_response_time{0};
};

class BackendSelector {
 public:
  explicit BackendSelector(std::vector<BackendInstance> instances);

  // Errors: not_found for an unknown preferred name (the message lists the
  // known ones and the closest match).
  Result<SelectionResult> select(const SelectionCriteria& criteria) const;

  const std::vector<BackendInstance>& instances() const { return m_instances; }
  const BackendInstance* find(std::string_view name) const;

  // Creates the backend object for an instance (loading a model, for llama).
  Result<std::unique_ptr<llm::Backend>> create(const BackendInstance& instance) const;

 private:
  std::vector<BackendInstance> m_instances;
};

}  // namespace cmdai::routing
