#include "team/connection.h"

#include <array>
#include <cstdlib>

#include "team/pq_library.h"

namespace cmdai::team {
namespace {

const PqLibrary& pq() { return loaded_pq_library(); }

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// SQLSTATE classes (the first two characters) as cmdai's error codes.
ErrorCode code_for(std::string_view state, bool connection_lost) {
  if (connection_lost) return ErrorCode::unavailable;
  const std::string_view kind = state.substr(0, std::min<std::size_t>(2, state.size()));
  if (kind == "08" || kind == "57" || kind == "53" || kind == "28") return ErrorCode::unavailable;
  if (kind == "40" || state == "55P03" || state == "57014") return ErrorCode::timeout;
  if (kind == "22" || kind == "23") return ErrorCode::invalid_argument;
  return ErrorCode::io_error;
}

std::string hint_for(ErrorCode code, std::string_view state) {
  if (state.starts_with("28")) return "give the password in PGPASSFILE (~/.pgpass) or PGPASSWORD, never in team.url";
  if (code == ErrorCode::unavailable) return "check that the team server is running and team.url is right";
  if (state == "42501") return "ask the server's administrator for rights on the team database";
  return {};
}

}  // namespace

void Rows::Clear::operator()(pg_result* result) const { pq().clear(result); }
void Connection::Finish::operator()(pg_conn* connection) const { pq().finish(connection); }

int Rows::size() const { return m_result ? pq().ntuples(m_result.get()) : 0; }
int Rows::columns() const { return m_result ? pq().nfields(m_result.get()) : 0; }
bool Rows::is_null(int row, int column) const { return pq().get_is_null(m_result.get(), row, column) != 0; }

std::string Rows::text(int row, int column) const {
  return {pq().get_value(m_result.get(), row, column),
          static_cast<std::size_t>(pq().get_length(m_result.get(), row, column))};
}

std::optional<std::string> Rows::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t Rows::integer(int row, int column) const {
  return is_null(row, column) ? 0 : std::strtoll(pq().get_value(m_result.get(), row, column), nullptr, 10);
}

double Rows::number(int row, int column) const {
  return is_null(row, column) ? 0.0 : std::strtod(pq().get_value(m_result.get(), row, column), nullptr);
}

std::int64_t Rows::affected() const {
  return m_result ? std::strtoll(pq().cmd_tuples(m_result.get()), nullptr, 10) : 0;
}

Result<Connection> Connection::open(const std::string& url, std::chrono::seconds connect_timeout) {
  CMDAI_TRY(pq_library());
  char* parse_error = nullptr;
  PQconninfoOption* options = pq().conninfo_parse(url.c_str(), &parse_error);
  if (options == nullptr) {
    std::string detail = parse_error != nullptr ? trimmed(parse_error) : "out of memory";
    pq().freemem(parse_error);
    return fail(ErrorCode::invalid_argument, "team.url is not a valid PostgreSQL URL: " + detail,
                "e.g. postgresql://alice@db.example.com/cmdai?sslmode=verify-full");
  }
  pq().conninfo_free(options);
  // connect_timeout comes before dbname, so a timeout in the URL wins
  // (libpq keeps the last value of a repeated keyword).
  const std::string timeout = std::to_string(connect_timeout.count());
  const std::array<const char*, 4> keywords{"connect_timeout", "application_name", "dbname", nullptr};
  const std::array<const char*, 4> values{timeout.c_str(), "cmdai", url.c_str(), nullptr};
  Connection connection(pq().connectdb_params(keywords.data(), values.data(), 1));
  if (!connection.m_connection) return fail(ErrorCode::unavailable, "cannot connect to the team server: out of memory");
  // The server's NOTICEs ("relation ... already exists, skipping") are not
  // for the user; libpq would print them on stderr.
  pq().set_notice_processor(
      connection.m_connection.get(), [](void*, const char*) {}, nullptr);
  if (pq().status(connection.m_connection.get()) != CONNECTION_OK) {
    const std::string detail = trimmed(pq().error_message(connection.m_connection.get()));
    const bool password = detail.find("password") != std::string::npos;
    return fail(ErrorCode::unavailable, "cannot connect to the team server: " + detail,
                password ? hint_for(ErrorCode::unavailable, "28")
                         : "check that the team server is running and team.url is right");
  }
  return connection;
}

Error Connection::error(std::string_view context) const {
  pg_conn* raw = m_connection.get();
  const bool lost = pq().status(raw) == CONNECTION_BAD;
  std::string message = std::string(context) + ": " + trimmed(pq().error_message(raw));
  return Error{code_for("", lost), std::move(message), hint_for(code_for("", lost), "")};
}

Result<void> Connection::check(const Rows& rows) const {
  pg_result* raw = rows.m_result.get();
  const auto status = pq().result_status(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
  const char* state = pq().result_error_field(raw, PG_DIAG_SQLSTATE);
  const std::string_view sqlstate = state != nullptr ? state : "";
  const ErrorCode code = code_for(sqlstate, pq().status(m_connection.get()) == CONNECTION_BAD);
  return fail(code, "team server: " + trimmed(pq().result_error_message(raw)), hint_for(code, sqlstate));
}

Result<void> Connection::exec(std::string_view sql) {
  Rows rows(pq().exec(m_connection.get(), std::string(sql).c_str()));
  return check(rows);
}

Result<Rows> Connection::query(const std::string& sql, const std::vector<Parameter>& parameters) {
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& parameter : parameters) values.push_back(parameter ? parameter->c_str() : nullptr);
  Rows rows(pq().exec_params(m_connection.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                             nullptr, nullptr, 0));
  CMDAI_TRY(check(rows));
  return rows;
}

Result<void> Connection::send(std::string_view sql) {
  if (pq().send_query(m_connection.get(), std::string(sql).c_str()) == 1) return {};
  return fail(error("sending to the team server failed"));
}

Result<std::vector<Rows>> Connection::receive() {
  std::vector<Rows> results;
  Result<void> outcome;
  while (pg_result* raw = pq().get_result(m_connection.get())) {
    Rows rows(raw);
    if (auto checked = check(rows); !checked && outcome) outcome = checked;
    results.push_back(std::move(rows));
  }
  if (!outcome) return fail(outcome.error());
  return results;
}

Result<void> Connection::copy_begin(const std::string& sql) {
  Rows rows(pq().exec(m_connection.get(), sql.c_str()));
  if (pq().result_status(rows.m_result.get()) == PGRES_COPY_IN) return {};
  return fail(error("team server refused the upload"));
}

Result<void> Connection::copy_send(std::string_view data) {
  if (pq().put_copy_data(m_connection.get(), data.data(), static_cast<int>(data.size())) == 1) return {};
  return fail(error("uploading to the team server failed"));
}

Result<void> Connection::copy_end() {
  if (pq().put_copy_end(m_connection.get(), nullptr) != 1) return fail(error("uploading to the team server failed"));
  Result<void> outcome;
  // Every result of the COPY is read, so the connection is ready for the next statement.
  while (pg_result* raw = pq().get_result(m_connection.get())) {
    Rows rows(raw);
    if (pq().result_status(raw) != PGRES_COMMAND_OK && outcome) {
      outcome = fail(ErrorCode::io_error, "team server: " + trimmed(pq().result_error_message(raw)));
    }
  }
  return outcome;
}

std::string Connection::server_name() const {
  pg_conn* raw = m_connection.get();
  std::string host = pq().host(raw) != nullptr ? pq().host(raw) : "";
  return host + ":" + (pq().port(raw) != nullptr ? pq().port(raw) : "") + "/" +
         (pq().db(raw) != nullptr ? pq().db(raw) : "");
}

Result<ServerTransaction> ServerTransaction::begin(Connection& connection) {
  CMDAI_TRY(connection.exec("BEGIN"));
  return ServerTransaction(&connection);
}

ServerTransaction::~ServerTransaction() {
  if (m_commit_sent && m_connection->receive()) return;  // committed after all
  // Nobody to report to; uncommitted, the work is dropped with or without it.
  if (m_connection != nullptr) (void)m_connection->exec("ROLLBACK");
}

Result<void> ServerTransaction::commit() {
  Connection* connection = m_connection;
  m_connection = nullptr;
  return connection->exec("COMMIT");
}

Result<void> ServerTransaction::send_commit(std::string_view sql) {
  CMDAI_TRY(m_connection->send(std::string(sql) + ";\nCOMMIT"));
  m_commit_sent = true;
  return {};
}

Result<Rows> ServerTransaction::finish_commit() {
  m_commit_sent = false;
  auto results = m_connection->receive();
  if (!results) return fail(results.error());  // the destructor rolls back
  m_connection = nullptr;
  if (results->size() != 2) return fail(ErrorCode::io_error, "team server: unexpected answer to a commit");
  return std::move(results->front());
}

}  // namespace cmdai::team
