#pragma once
// The whole contents of a file as bytes; "" when it cannot be read. For
// tests that check what cmdai wrote (config files, logs, databases).

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cmdai::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace cmdai::testing
