#pragma once
// Where cmdai keeps its files (XDG base directories). CMDAI_HOME, when set,
// overrides all of them: everything then lives under that one directory,
// which is what tests and portable installs use.

#include <filesystem>

#include "core/env.h"

namespace cmdai {

struct Paths {
  std::filesystem::path config_file;  // $XDG_CONFIG_HOME/cmdai/config.toml
  std::filesystem::path history_db;   // $XDG_DATA_HOME/cmdai/history.db
  std::filesystem::path models_dir;   // $XDG_CACHE_HOME/cmdai/models/
  std::filesystem::path log_file;     // $XDG_STATE_HOME/cmdai/cmdai.log
};

Paths resolve_paths(const Env& env);

}  // namespace cmdai
