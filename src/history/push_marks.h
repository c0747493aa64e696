#pragma once
// Which entries this machine has pushed to a team server (cmdai team push),
// kept in the history database (tables team_pushed and team_push_state,
// store/migrations.cpp). A server is named by a key the caller chooses
// (host, port and database, never a password); entries pushed to one server
// are still pending for another.
//
// A push marks entries only after the server committed them, so a push
// that fails half-way leaves the rest pending and the next push resumes;
// an entry the server already has is skipped there (its id is the key).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/history_store.h"

namespace cmdai::history {

struct UnpushedRecord {
  std::int64_t rowid = 0;  // the position to continue after
  HistoryRecord record;
};

// Entries not yet pushed to server with a rowid above after_rowid, oldest
// first, at most limit of them.
Result<std::vector<UnpushedRecord>> unpushed_records(HistoryStore& store, std::string_view server,
                                                     std::int64_t after_rowid, std::size_t limit);

// An entry's embedding for a team server (team/push_vectors.h): the vectors
// are marked pushed under a key of their own (the server's key and the
// model's), since an entry is often embedded after it was pushed.
struct UnpushedEmbedding {
  std::int64_t rowid = 0;  // the position to continue after
  std::string id;
  std::vector<float> vector;
};

// Entries with a rowid above after_rowid, oldest first, at most limit: those
// marked pushed under entries_key (on the server already) that hold a
// vector of `dimensions` floats not yet marked under vectors_key.
Result<std::vector<UnpushedEmbedding>> unpushed_embeddings(HistoryStore& store, std::string_view entries_key,
                                                           std::string_view vectors_key, std::size_t dimensions,
                                                           std::int64_t after_rowid, std::size_t limit);

// Marks the entries pushed and records the push (one transaction).
Result<void> mark_pushed(HistoryStore& store, std::string_view server, const std::vector<std::string>& ids,
                         Timestamp when);

struct PushSummary {
  std::optional<Timestamp> last_push;  // unset: never pushed to this server
  std::int64_t pushed_total = 0;       // entries marked pushed over time
};
Result<PushSummary> push_summary(HistoryStore& store, std::string_view server);

}  // namespace cmdai::history
