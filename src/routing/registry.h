#pragma once
// Registry: the backend types cmdai knows and the named instances configured
// for them. It validates instances once (unique names, an endpoint for server
// types) and resolves what the user typed after --backend: an instance name,
// a type name (every instance of that type), or "auto".
//
// Invariant: exactly one `rules` instance exists and it is last.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "routing/instance.h"

namespace cmdai::routing {

// What cmdai knows about a backend type, independent of any instance.
struct BackendTypeInfo {
  BackendType type;
  bool needs_endpoint;                // server backends
  std::string_view health_probe;      // what the health checker asks, in words
  std::string_view default_endpoint;  // where the server usually listens on this machine; may be empty
};

std::span<const BackendTypeInfo> backend_types();
const BackendTypeInfo& type_info(BackendType type);

// What keeps an instance from being usable: an empty name, a server type
// without an endpoint, an endpoint that is not http(s)://. field names the
// instance setting to fix ("endpoint"; "" for the name).
struct InstanceProblem {
  std::string field;
  Error error;
};
std::optional<InstanceProblem> instance_problem(const BackendInstance& instance);

class Registry {
 public:
  // Errors: invalid_argument for a duplicate or empty name, a server type
  // without endpoint, or an endpoint that is not http(s)://. The instance
  // named in the error is the first bad one; nothing is partially added.
  static Result<Registry> create(std::vector<BackendInstance> instances);

  const std::vector<BackendInstance>& instances() const { return m_instances; }
  const BackendInstance* find(std::string_view name) const;

  // The instances `name` stands for: one instance by name, or all of a type
  // when `name` is a type name and no instance is called that.
  // Errors: not_found, with "did you mean ...?" when a known name is close,
  // and the list of known names.
  Result<std::vector<const BackendInstance*>> resolve(std::string_view name) const;

 private:
  explicit Registry(std::vector<BackendInstance> instances) : m_instances(std::move(instances)) {}
  std::vector<BackendInstance> m_instances;
};

// The closest of `candidates` to `word` within a small edit distance;
// never `word` itself.
std::optional<std::string> closest_name(std::string_view word, std::span<const std::string> candidates);

}  // namespace cmdai::routing
