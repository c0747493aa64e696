#pragma once
// Local histories and pushes for the team tests.

#include <gtest/gtest.h>

#include <string>

#include "core/time.h"
#include "history/history_store.h"
#include "history/history_test_support.h"
#include "support/temp_dir.h"
#include "team/pg_server.h"
#include "team/push.h"
#include "team/team_server.h"

namespace cmdai::team::test {

// history's test entries and options, with the team tests' defaults: a
// machine called laptop, entries in /srv/app.
inline history::HistoryOptions quiet_options(history::PrivacyMode privacy = history::PrivacyMode::redact,
                                             const std::string& host = "laptop") {
  auto options = history::test::quiet_options(privacy);
  options.hostname = host;
  return options;
}

inline CommandHistoryEntry make_entry(const std::string& command, const std::string& cwd = "/srv/app",
                                      long long when = 1'800'000'000) {
  return history::test::make_entry(command, when, cwd);
}

inline PushOptions push_options(const std::string& user = "alice", std::size_t batch = k_push_batch) {
  PushOptions options;
  options.user = user;
  options.host = "laptop";
  options.batch_size = batch;
  options.now = from_unix_seconds(1'800'000'500);
  return options;
}

// A fresh database on the shared server, connected and migrated.
inline TeamServer fresh_team() {
  auto server = connect_team(testing::pg_server().fresh_database());
  if (!server) throw std::runtime_error(server.error().describe());
  return std::move(*server);
}

inline std::int64_t server_rows(Connection& connection, const std::string& where = "true") {
  auto rows = connection.query("SELECT count(*) FROM command_history WHERE " + where);
  if (!rows) throw std::runtime_error(rows.error().describe());
  return rows->integer(0, 0);
}

// Makes the server refuse, as a full disk would, every batch that holds an
// entry whose command is "refused by the server".
inline void refuse_a_command(Connection& connection) {
  auto made = connection.exec(R"sql(
    CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.command = 'refused by the server' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER refuse BEFORE INSERT ON command_history FOR EACH ROW EXECUTE FUNCTION refuse();)sql");
  if (!made) throw std::runtime_error(made.error().describe());
}

}  // namespace cmdai::team::test
