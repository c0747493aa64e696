#include "cli/generate_options.h"

#include "llm/backend_factory.h"

namespace cmdai::cli {

Result<ShellType> target_shell(const Invocation& inv) {
  if (auto shell = inv.args.value("shell")) return parse_shell_type(*shell);
  if (auto from_env = inv.env.get_var("SHELL")) {
    const auto slash = from_env->find_last_of('/');
    if (auto parsed = parse_shell_type(from_env->substr(slash == std::string::npos ? 0 : slash + 1))) return *parsed;
  }
  return ShellType::bash;
}

Result<pipeline::PipelineOptions> pipeline_options(const Invocation& inv) {
  pipeline::PipelineOptions options;
  options.backend = inv.args.value("backend");
  options.endpoint = inv.args.value("endpoint");
  options.model = inv.args.value("model");
  if (inv.args.has("no-fallback")) options.fallback = routing::FallbackPolicy::disallowed;
  auto shell = target_shell(inv);
  if (!shell) return fail(shell.error());
  options.shell = *shell;
#ifdef __APPLE__
  options.userland = Userland::bsd;
#endif
  options.working_directory = inv.args.value("cwd").value_or(inv.env.current_dir());
  return options;
}

routing::BackendFactory backend_factory(const Invocation& inv) {
  if (!inv.args.has("no-stream")) return routing::default_backend_factory();
  return [](const routing::BackendInstance& instance) {
    auto spec = routing::to_spec(instance);
    spec.stream = false;
    return llm::create_backend(spec);
  };
}

std::vector<config::Override> generation_overrides(const Invocation& inv) {
  auto overrides = command_line_overrides(inv);
  std::erase_if(overrides, [](const config::Override& o) { return o.source == "--backend"; });
  return overrides;
}

}  // namespace cmdai::cli
