#pragma once
// cmdai team push: uploads the local history entries this machine has not
// pushed to the team server yet.
//
//  - Batched: each batch of entries is one server transaction (COPY into a
//    temporary table, then one INSERT ... SELECT and COMMIT); entries are
//    marked pushed locally (history/push_marks.h) once their batch is
//    committed, ten batches to a local transaction. While the server
//    inserts a batch, the next is read and encoded here, so both sides
//    work at the same time.
//  - Idempotent: entries are keyed by their UUID and the INSERT does
//    nothing for an id the server already has, so a batch that reached the
//    server but was not marked locally (the process died in between) is
//    simply sent again.
//  - Resumable: a failure leaves every batch the server did not commit
//    pending; the next push sends those.
//  - Private: each entry goes through push_policy.h first.
//  - Concurrent: machines pushing at once only insert rows with distinct
//    keys; nothing is lost or doubled. A batch inserts its entries in id
//    order and their words in word order, so two pushes that share entries
//    or words wait for each other at most, never in a cycle.

#include <cstdint>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "history/history_store.h"
#include "team/connection.h"
#include "team/push_policy.h"

namespace cmdai::team {

inline constexpr std::size_t k_push_batch = 5000;

struct PushOptions {
  std::string user;  // the user pushing (stored as user_name)
  std::string host;  // for entries recorded without a host name
  PushPolicy policy;
  std::size_t batch_size = k_push_batch;
  Timestamp now;  // recorded as the time of the push
};

struct PushReport {
  std::int64_t sent = 0;           // entries uploaded
  std::int64_t new_on_server = 0;  // of those, the ones the server did not have
  std::int64_t kept_back = 0;      // excluded by directory, private tag or a secret (privacy_mode = skip)
};

// server_key names the server in the local push marks (Connection::server_name()).
// Errors: the server's or the history database's; the message says how
// many entries were pushed before it, and those stay pushed.
Result<PushReport> push(history::HistoryStore& store, Connection& connection, const std::string& server_key,
                        const PushOptions& options);

// The same over several connections to that server (at least one), which
// take the batches in turn, so the server inserts several at once. Batches
// are marked pushed in the order they were read, each once committed;
// after a failure the batches already sent are still waited for.
Result<PushReport> push(history::HistoryStore& store, const std::vector<Connection*>& connections,
                        const std::string& server_key, const PushOptions& options);

// Connections cmdai team push opens: while the server inserts one batch
// for each, this machine reads and encodes the next.
inline constexpr std::size_t k_push_connections = 2;

// Entries a push would send now (not counting those it would keep back).
Result<std::int64_t> pending_count(history::HistoryStore& store, const std::string& server_key,
                                   const PushPolicy& policy);

}  // namespace cmdai::team
