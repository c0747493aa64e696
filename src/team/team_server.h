#pragma once
// The team server as the CLI meets it: team.url checked, connected, the
// schema migrated, and the key under which this machine's push marks are
// kept (history/push_marks.h).
//
// TLS is libpq's: sslmode=verify-full (and sslrootcert=...) in team.url.
// Passwords never come from team.url: libpq reads PGPASSFILE (~/.pgpass)
// or PGPASSWORD.

#include <string>

#include "core/error.h"
#include "team/connection.h"
#include "team/server_schema.h"

namespace cmdai::team {

struct TeamServer {
  Connection connection;
  SchemaState schema;
  std::string key;  // host:port/database, as Connection::server_name()
};

// Errors: invalid_argument when url is empty, malformed or carries a
// password; otherwise Connection::open()'s and migrate()'s.
Result<TeamServer> connect_team(const std::string& url);

// Errors: invalid_argument naming PGPASSFILE/PGPASSWORD when the URL
// carries a password (checked by libpq's own parser), or when it is not a
// libpq URL at all.
Result<void> check_no_password(const std::string& url);

}  // namespace cmdai::team
