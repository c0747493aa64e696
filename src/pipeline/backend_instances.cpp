#include "pipeline/backend_instances.h"

#include <algorithm>

#include "pipeline/command_pipeline.h"
#include "routing/registry.h"

namespace cmdai::pipeline {
namespace {

// The first GGUF file in the models directory, if any.
std::optional<std::filesystem::path> installed_model(const std::filesystem::path& models_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(models_dir, ec)) return std::nullopt;
  for (const auto& entry : std::filesystem::directory_iterator(models_dir, ec)) {
    if (entry.path().extension() == ".gguf") return entry.path();
  }
  return std::nullopt;
}

std::optional<BackendType> type_of(const std::string& name, const config::BackendConfig& backend) {
  if (backend.type) return backend.type;
  if (auto parsed = parse_backend_type(name)) return *parsed;
  const auto cut = name.find_first_of("-_");
  if (cut == std::string::npos) return std::nullopt;
  if (auto parsed = parse_backend_type(name.substr(0, cut))) return *parsed;
  return std::nullopt;
}

routing::BackendInstance from_config(const std::string& name, BackendType type, const config::BackendConfig& c) {
  routing::BackendInstance instance;
  instance.name = name;
  instance.type = type;
  instance.endpoint = c.endpoint.empty() ? std::string(routing::type_info(type).default_endpoint) : c.endpoint;
  instance.model = c.model;
  instance.timeout = std::chrono::milliseconds(c.timeout_ms > 0 ? c.timeout_ms : 30'000);
  instance.retries = std::max(c.retries, 0);
  instance.local = c.local.value_or(type == BackendType::llama || routing::is_loopback_endpoint(instance.endpoint));
  return instance;
}

routing::BackendInstance* named(std::vector<routing::BackendInstance>& instances, std::string_view name) {
  for (auto& instance : instances) {
    if (instance.name == name) return &instance;
  }
  return nullptr;
}

// --backend/--endpoint/--model on top of the configured instances.
void apply_command_line(const PipelineOptions& options, std::vector<routing::BackendInstance>& out) {
  const bool gguf = options.model && options.model->ends_with(".gguf");
  std::optional<std::string> backend = options.backend;
  if (!backend && options.endpoint) backend = "openai";
  if (!backend || *backend == "auto") return;
  routing::BackendInstance* target = named(out, *backend);
  const auto type = parse_backend_type(*backend);
  // Without --endpoint a type with no instance is looked for where its
  // servers usually run (discovery); llama needs a model file.
  if (target == nullptr && options.endpoint && type && *type != BackendType::rules && *type != BackendType::llama) {
    out.insert(out.begin(), from_config(*backend, *type, config::BackendConfig{}));
    target = &out.front();
    target->origin = routing::InstanceOrigin::command_line;
  }
  if (target == nullptr) return;
  if (options.endpoint) {
    target->endpoint = *options.endpoint;
    target->local = routing::is_loopback_endpoint(target->endpoint);
    target->origin = routing::InstanceOrigin::command_line;  // what is wrong with it is an error, not a warning
  }
  if (options.model && (!gguf || target->type == BackendType::llama)) {
    target->model = *options.model;
    target->model_reason.clear();
  }
}

// Configured instances that cannot work as written are left out, each with
// one warning naming the key to fix; the others still answer.
void drop_broken(std::vector<routing::BackendInstance>& instances, std::vector<std::string>& warnings) {
  std::erase_if(instances, [&](const routing::BackendInstance& instance) {
    if (instance.origin != routing::InstanceOrigin::configured) return false;  // the registry reports those
    auto problem = routing::instance_problem(instance);
    if (!problem) return false;
    const std::string key = "backend.instances." + instance.name + "." + problem->field;
    warnings.push_back(problem->error.message + "; it is skipped until " + key + " is set (" + problem->error.hint +
                       ")");
    return true;
  });
}

}  // namespace

std::vector<routing::BackendInstance> backend_instances(const config::ConfigurationState& config,
                                                        const PipelineOptions& options,
                                                        const std::filesystem::path& models_dir,
                                                        std::vector<std::string>& warnings) {
  std::vector<routing::BackendInstance> out;
  for (const auto& [name, backend] : config.backend_configs) {
    auto type = type_of(name, backend);
    if (!type) {
      warnings.push_back("backend '" + name + "' has no type and its name does not tell one; it is ignored");
      continue;
    }
    out.push_back(from_config(name, *type, backend));
    if (auto declared = config.instance_models.find(name); declared != config.instance_models.end()) {
      out.back().context_length = declared->second.context_length;
      out.back().capabilities = declared->second.capabilities;
      out.back().model_family = declared->second.model_family;
    }
  }
  const bool gguf = options.model && options.model->ends_with(".gguf");
  if (named(out, "llama") == nullptr) {
    std::optional<std::filesystem::path> model =
        gguf ? std::optional<std::filesystem::path>(*options.model) : installed_model(models_dir);
    if (model) {
      config::BackendConfig llama;
      llama.type = BackendType::llama;
      llama.model = model->string();
      llama.timeout_ms = 60'000;
      llama.retries = 0;
      out.push_back(from_config("llama", BackendType::llama, llama));
      if (gguf) out.back().origin = routing::InstanceOrigin::command_line;
    }
  } else if (gguf) {
    named(out, "llama")->model = *options.model;
  }
  apply_command_line(options, out);
  drop_broken(out, warnings);
  return out;
}

}  // namespace cmdai::pipeline
