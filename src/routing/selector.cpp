#include "routing/selector.h"

#include <algorithm>

#include "llm/backend_factory.h"

namespace cmdai::routing {

BackendSelector::BackendSelector(std::vector<BackendInstance> instances) : m_instances(std::move(instances)) {
  const bool has_rules = std::any_of(m_instances.begin(), m_instances.end(),
                                     [](const BackendInstance& i) { return i.type == BackendType::rules; });
  if (!has_rules) m_instances.push_back({"rules", BackendType::rules, "", "", true});
  // rules last, whatever order the configuration gave.
  std::stable_partition(m_instances.begin(), m_instances.end(),
                        [](const BackendInstance& i) { return i.type != BackendType::rules; });
}

const BackendInstance* BackendSelector::find(std::string_view name) const {
  for (const auto& instance : m_instances) {
    if (instance.name == name) return &instance;
  }
  for (const auto& instance : m_instances) {
    if (to_string(instance.type) == name) return &instance;
  }
  return nullptr;
}

Result<SelectionResult> BackendSelector::select(const SelectionCriteria& criteria) const {
  std::vector<const BackendInstance*> eligible;
  for (const auto& instance : m_instances) {
    if (criteria.require_local && !instance.local) continue;
    eligible.push_back(&instance);
  }
  SelectionResult result;
  const BackendInstance* chosen = nullptr;
  if (criteria.preferred && *criteria.preferred != "auto") {
    chosen = find(*criteria.preferred);
    if (chosen == nullptr) {
      std::string known;
      for (const auto& instance : m_instances) known += (known.empty() ? "" : ", ") + instance.name;
      return fail(ErrorCode::not_found, "unknown backend '" + *criteria.preferred + "'", "known backends: " + known);
    }
    result.selection_reason = "preference: " + chosen->name + " was requested";
  } else {
    chosen = eligible.front();
    result.selection_reason = chosen->type == BackendType::rules
                                  ? "fallback: no model backend is configured, using the offline rules"
                                  : "preference: first configured backend";
  }
  result.selected_backend = chosen->name;
  for (const auto* instance : eligible) {
    if (instance != chosen) result.fallback_chain.push_back(instance->name);
  }
  return result;
}

Result<std::unique_ptr<llm::Backend>> BackendSelector::create(const BackendInstance& instance) const {
  llm::BackendSpec spec;
  spec.name = instance.name;
  spec.type = instance.type;
  spec.endpoint = instance.endpoint;
  spec.model = instance.model;
  return llm::create_backend(spec);
}

}  // namespace cmdai::routing
