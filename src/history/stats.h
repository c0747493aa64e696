#pragma once
// `cmdai history stats`: counts, the most used commands and directories,
// success rate.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/history_store.h"

namespace cmdai::history {

struct CountedValue {
  std::string value;
  std::int64_t count = 0;
};

struct HistoryStats {
  std::int64_t total = 0;
  std::int64_t favorites = 0;
  std::int64_t with_exit_code = 0;  // entries that were run and have an exit status
  std::int64_t succeeded = 0;       // ... of which exited 0
  std::optional<Timestamp> oldest;
  std::optional<Timestamp> newest;
  std::vector<CountedValue> top_commands;
  std::vector<CountedValue> top_directories;
  std::vector<CountedValue> by_risk;
  std::vector<CountedValue> by_backend;
  std::vector<CountedValue> by_shell;
};

Result<HistoryStats> collect_stats(HistoryStore& store, std::size_t top = 10);

}  // namespace cmdai::history
