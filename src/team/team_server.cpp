#include "team/team_server.h"

#include "team/pq_library.h"

#include <memory>

namespace cmdai::team {

Result<void> check_no_password(const std::string& url) {
  auto loaded = pq_library();
  if (!loaded) return fail(loaded.error());
  const PqLibrary& pq = **loaded;
  char* parse_error = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(pq.conninfo_parse(url.c_str(), &parse_error),
                                                                         pq.conninfo_free);
  if (!options) {
    std::string detail = parse_error != nullptr ? parse_error : "out of memory";
    pq.freemem(parse_error);
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    return fail(ErrorCode::invalid_argument, "team.url is not a valid PostgreSQL URL: " + detail,
                "e.g. postgresql://alice@db.example.com/cmdai?sslmode=verify-full");
  }
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr && option->val[0] != '\0') {
      return fail(ErrorCode::invalid_argument, "team.url carries a password, which cmdai never keeps in its settings",
                  "remove it from the URL and put it in PGPASSFILE (~/.pgpass) or PGPASSWORD");
    }
  }
  return {};
}

Result<TeamServer> connect_team(const std::string& url) {
  if (url.empty()) {
    return fail(ErrorCode::invalid_argument, "no team server is configured",
                "cmdai config set team.url postgresql://USER@HOST/DATABASE (or set CMDAI_TEAM_URL)");
  }
  CMDAI_TRY(check_no_password(url));
  auto connection = Connection::open(url);
  if (!connection) return fail(connection.error());
  auto schema = migrate(*connection);
  if (!schema) return fail(schema.error());
  std::string key = connection->server_name();
  return TeamServer{std::move(*connection), std::move(*schema), std::move(key)};
}

}  // namespace cmdai::team
