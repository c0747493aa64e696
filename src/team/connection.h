#pragma once
// A PostgreSQL connection through libpq: RAII handles for the connection and
// its results, parameters as text, COPY FROM STDIN. libpq's own errors never
// leave this file; they become Error values naming what failed and what to
// do about it.
//
// A Connection is used by one thread at a time. Nothing here retries: a
// caller decides whether a failed statement is worth another attempt.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

struct pg_conn;
struct pg_result;

namespace cmdai::team {

// How long connecting may take before the server counts as down; a URL's
// own connect_timeout wins. Short: a team command on a machine whose
// server is unreachable should say so, not hang.
inline constexpr std::chrono::seconds k_connect_timeout{5};

// One statement's rows, every value as text (NULL as nullopt).
class Rows {
 public:
  Rows() = default;
  int size() const;
  int columns() const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t integer(int row, int column) const;  // 0 for NULL
  double number(int row, int column) const;         // 0 for NULL
  std::int64_t affected() const;                    // rows an INSERT/UPDATE/DELETE changed

 private:
  friend class Connection;
  struct Clear {
    void operator()(pg_result* result) const;
  };
  explicit Rows(pg_result* result) : m_result(result) {}
  std::unique_ptr<pg_result, Clear> m_result;
};

using Parameter = std::optional<std::string>;  // nullopt is SQL NULL

class Connection {
 public:
  // Connects to a libpq URL or keyword/value string. Errors: invalid_argument
  // for a malformed URL, unavailable when the server cannot be reached or
  // refuses (the message says which server, the hint how to check it).
  static Result<Connection> open(const std::string& url, std::chrono::seconds connect_timeout = k_connect_timeout);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  ~Connection() = default;

  // Runs one or more statements without parameters.
  Result<void> exec(std::string_view sql);
  // One statement with $1.. parameters sent as text.
  Result<Rows> query(const std::string& sql, const std::vector<Parameter>& parameters = {});

  // Sends one or more statements without waiting for them, so the caller
  // can work while the server runs them; receive() must follow before any
  // other call on this connection.
  Result<void> send(std::string_view sql);
  // The results of what send() sent, in order, or the first failure; every
  // result is read either way, so the connection is ready again.
  Result<std::vector<Rows>> receive();

  // COPY ... FROM STDIN: start, send data in COPY text format, finish.
  Result<void> copy_begin(const std::string& sql);
  Result<void> copy_send(std::string_view data);
  Result<void> copy_end();

  // "host:port/database" as libpq resolved it: what a user recognises,
  // without any secret.
  std::string server_name() const;

 private:
  struct Finish {
    void operator()(pg_conn* connection) const;
  };
  explicit Connection(pg_conn* connection) : m_connection(connection) {}
  Error error(std::string_view context) const;
  Result<void> check(const Rows& rows) const;

  std::unique_ptr<pg_conn, Finish> m_connection;
};

// BEGIN ... COMMIT; rolls back in the destructor unless committed.
class ServerTransaction {
 public:
  static Result<ServerTransaction> begin(Connection& connection);
  ServerTransaction(ServerTransaction&& other) noexcept
      : m_connection(other.m_connection), m_commit_sent(other.m_commit_sent) {
    other.m_connection = nullptr;
    other.m_commit_sent = false;
  }
  ServerTransaction& operator=(ServerTransaction&&) = delete;
  ~ServerTransaction();
  Result<void> commit();

  // The last statement and COMMIT, sent without waiting (Connection::send):
  // the caller works while the server runs them, then finish_commit()
  // returns the statement's rows once the transaction is committed. When
  // the statement or the commit fails, the transaction is rolled back.
  Result<void> send_commit(std::string_view sql);
  Result<Rows> finish_commit();

 private:
  explicit ServerTransaction(Connection* connection) : m_connection(connection) {}
  Connection* m_connection;  // null once committed or rolled back
  bool m_commit_sent = false;
};

}  // namespace cmdai::team
