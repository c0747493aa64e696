#include "core/paths.h"

namespace cmdai {
namespace {

std::filesystem::path xdg_dir(const Env& env, const char* variable, const char* fallback_under_home) {
  if (auto value = env.get_var(variable); value && !value->empty() && value->front() == '/') {
    return *value;
  }
  return std::filesystem::path(env.home_dir()) / fallback_under_home;
}

}  // namespace

Paths resolve_paths(const Env& env) {
  if (auto home = env.get_var("CMDAI_HOME"); home && !home->empty()) {
    const std::filesystem::path root = *home;
    return Paths{root / "config.toml", root / "history.db", root / "models", root / "cmdai.log"};
  }
  return Paths{
      xdg_dir(env, "XDG_CONFIG_HOME", ".config") / "cmdai" / "config.toml",
      xdg_dir(env, "XDG_DATA_HOME", ".local/share") / "cmdai" / "history.db",
      xdg_dir(env, "XDG_CACHE_HOME", ".cache") / "cmdai" / "models",
      xdg_dir(env, "XDG_STATE_HOME", ".local/state") / "cmdai" / "cmdai.log",
  };
}

}  // namespace cmdai
