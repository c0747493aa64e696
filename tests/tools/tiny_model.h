#pragma once
// The tiny random-weight models the CTest fixture writes into the build
// directory; when a test binary runs on its own, the model is made on demand
// with the same tool and seed.

#include <filesystem>
#include <string>

#include "support/process.h"

namespace cmdai::testing {

// Path to the "chat" (qwen2) or "bert" tiny model; empty when this build
// has no llama.cpp.
inline std::filesystem::path tiny_model(const std::string& kind) {
  const std::string tool = CMDAI_MAKE_TINY_MODEL;
  if (tool.empty()) return {};
  const std::filesystem::path path = std::filesystem::path(CMDAI_TINY_MODEL_DIR) / (kind + ".gguf");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::filesystem::create_directories(path.parent_path(), ec);
    run_process({tool, kind, path.string()});
  }
  return path;
}

}  // namespace cmdai::testing
