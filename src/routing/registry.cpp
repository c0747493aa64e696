#include "routing/registry.h"

#include <algorithm>
#include <array>
#include <set>

#include "core/edit_distance.h"

namespace cmdai::routing {
namespace {

constexpr std::array<BackendTypeInfo, 6> k_types{{
    {BackendType::llama, false, "model file present", ""},
    {BackendType::ollama, true, "GET /api/tags", "http://127.0.0.1:11434"},
    {BackendType::openai, true, "GET /v1/models", ""},
    {BackendType::vllm, true, "GET /health, then /v1/models", "http://127.0.0.1:8000"},
    {BackendType::mlx, true, "GET /v1/models", "http://127.0.0.1:8080"},
    {BackendType::rules, false, "always available", ""},
}};

Result<void> check_instance(const BackendInstance& instance, std::set<std::string>& seen) {
  if (auto problem = instance_problem(instance)) return fail(problem->error);
  if (!seen.insert(instance.name).second) {
    return fail(ErrorCode::invalid_argument, "backend instance '" + instance.name + "' is defined twice",
                "give each instance its own name");
  }
  return {};
}

}  // namespace

std::optional<InstanceProblem> instance_problem(const BackendInstance& instance) {
  if (instance.name.empty()) {
    return InstanceProblem{"", {ErrorCode::invalid_argument, "a backend instance has an empty name", {}}};
  }
  if (!type_info(instance.type).needs_endpoint) return std::nullopt;
  if (instance.endpoint.empty()) {
    return InstanceProblem{"endpoint",
                           {ErrorCode::invalid_argument, "backend instance '" + instance.name + "' has no endpoint",
                            "set its endpoint, e.g. http://127.0.0.1:8080"}};
  }
  if (!instance.endpoint.starts_with("http://") && !instance.endpoint.starts_with("https://")) {
    return InstanceProblem{"endpoint",
                           {ErrorCode::invalid_argument,
                            "backend instance '" + instance.name + "' has endpoint '" + instance.endpoint + "'",
                            "endpoints start with http:// or https://"}};
  }
  return std::nullopt;
}

std::span<const BackendTypeInfo> backend_types() { return k_types; }

const BackendTypeInfo& type_info(BackendType type) {
  for (const auto& info : k_types) {
    if (info.type == type) return info;
  }
  return k_types.back();
}

Result<Registry> Registry::create(std::vector<BackendInstance> instances) {
  std::erase_if(instances, [](const BackendInstance& i) { return i.type == BackendType::rules && i.name != "rules"; });
  const bool has_rules =
      std::any_of(instances.begin(), instances.end(), [](const BackendInstance& i) { return i.name == "rules"; });
  if (!has_rules) {
    BackendInstance rules;
    rules.name = "rules";
    rules.type = BackendType::rules;
    instances.push_back(std::move(rules));
  }
  std::set<std::string> seen;
  for (const auto& instance : instances) CMDAI_TRY(check_instance(instance, seen));
  // rules last, whatever order the configuration gave.
  std::stable_partition(instances.begin(), instances.end(),
                        [](const BackendInstance& i) { return i.type != BackendType::rules; });
  return Registry(std::move(instances));
}

const BackendInstance* Registry::find(std::string_view name) const {
  for (const auto& instance : m_instances) {
    if (instance.name == name) return &instance;
  }
  return nullptr;
}

Result<std::vector<const BackendInstance*>> Registry::resolve(std::string_view name) const {
  if (const auto* instance = find(name)) return std::vector<const BackendInstance*>{instance};
  std::vector<const BackendInstance*> of_type;
  for (const auto& instance : m_instances) {
    if (to_string(instance.type) == name) of_type.push_back(&instance);
  }
  if (!of_type.empty()) return of_type;
  std::vector<std::string> known{"auto"};
  for (const auto& instance : m_instances) known.push_back(instance.name);
  for (const auto& info : k_types) {
    if (std::find(known.begin(), known.end(), to_string(info.type)) == known.end()) {
      known.emplace_back(to_string(info.type));
    }
  }
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  std::string hint = "known backends: " + list;
  if (auto near = closest_name(name, known)) hint = "did you mean '" + *near + "'? " + hint;
  const bool is_type = parse_backend_type(name).has_value();
  return fail(
      ErrorCode::not_found,
      is_type ? "no " + std::string(name) + " backend is configured" : "unknown backend '" + std::string(name) + "'",
      hint);
}

std::optional<std::string> closest_name(std::string_view word, std::span<const std::string> candidates) {
  const std::size_t max_distance = std::max<std::size_t>(2, word.size() / 3);
  // Ties go to the longer shared prefix: "olama" means "ollama", not "llama".
  const auto shared_prefix = [&](const std::string& candidate) {
    std::size_t n = 0;
    while (n < word.size() && n < candidate.size() && word[n] == candidate[n]) ++n;
    return n;
  };
  std::optional<std::string> best;
  std::size_t best_distance = max_distance + 1;
  std::size_t best_prefix = 0;
  for (const auto& candidate : candidates) {
    if (candidate == word) continue;  // suggesting what was typed helps nobody
    const std::size_t d = edit_distance(word, candidate);
    const std::size_t prefix = shared_prefix(candidate);
    if (d < best_distance || (d == best_distance && prefix > best_prefix)) {
      best_distance = d;
      best_prefix = prefix;
      best = candidate;
    }
  }
  return best;
}

}  // namespace cmdai::routing
