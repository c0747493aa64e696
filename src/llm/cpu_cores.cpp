// physical_core_count(), declared in llm/llama/llama_backend.h; lives outside
// llm/llama/ so builds without llama.cpp have it too.
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "llm/llama/llama_backend.h"

namespace cmdai::llm {

int physical_core_count() {
  // Linux: unique (physical id, core id) pairs; hyper-threads share a pair.
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::set<std::pair<std::string, std::string>> cores;
  std::string line, physical = "0";
  while (std::getline(cpuinfo, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "physical id") physical = value;
    if (key == "core id") cores.emplace(physical, value);
  }
  if (!cores.empty()) return static_cast<int>(cores.size());
  const unsigned logical = std::thread::hardware_concurrency();
  return logical > 1 ? static_cast<int>(logical / 2) : 1;
}

}  // namespace cmdai::llm
