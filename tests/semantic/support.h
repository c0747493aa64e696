#pragma once
// Shared by the semantic tests: a store in a temp directory and entries.

#include <optional>
#include <string>

#include "core/uuid.h"
#include "history/history_store.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::semantic::testing {

inline CommandHistoryEntry make_entry(const std::string& command, const std::string& explanation = "",
                                      const std::string& cwd = "/home/tester") {
  CommandHistoryEntry e;
  e.id = make_uuid_v4();
  e.timestamp = Timestamp{std::chrono::seconds{1'764'000'000}};
  e.command = command;
  e.explanation = explanation;
  e.working_directory = cwd;
  return e;
}

struct StoreFixture {
  StoreFixture() : store(*history::HistoryStore::open(dir / "history.db")) {}
  void add(const CommandHistoryEntry& e) {
    auto inserted = store.insert(e);
    if (!inserted) throw std::runtime_error(inserted.error().describe());
  }
  cmdai::testing::TempDir dir;
  cmdai::testing::FakeEnv env;
  history::HistoryStore store;
};

}  // namespace cmdai::semantic::testing
