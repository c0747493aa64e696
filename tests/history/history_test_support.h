#pragma once
// Entries and stores for history tests.

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/uuid.h"
#include "history/full_text.h"
#include "history/history_store.h"
#include "support/temp_dir.h"

namespace cmdai::history::test {

inline CommandHistoryEntry make_entry(const std::string& command, long long when = 1'700'000'000,
                                      const std::string& cwd = "/tmp") {
  CommandHistoryEntry e;
  e.id = make_uuid_v4();
  e.timestamp = from_unix_seconds(when);
  e.command = command;
  e.explanation = "explains " + command;
  e.working_directory = cwd;
  return e;
}

// Options that never change what a test stored behind its back.
inline HistoryOptions quiet_options(PrivacyMode privacy = PrivacyMode::redact) {
  HistoryOptions options;
  options.privacy = privacy;
  options.retention.max_entries.reset();
  options.auto_cleanup = AutoCleanup::off;
  options.hostname = "testhost";
  return options;
}

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Index terms as "term=entries", for comparing lists in assertions.
inline std::vector<std::string> described(const std::vector<IndexTerm>& terms) {
  std::vector<std::string> out;
  for (const auto& term : terms) out.push_back(term.term + "=" + std::to_string(term.entries));
  return out;
}

}  // namespace cmdai::history::test
