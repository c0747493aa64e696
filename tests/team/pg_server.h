#pragma once
// A real PostgreSQL server for the team tests: initdb and pg_ctl in a
// temporary directory, listening only on a unix socket in that directory
// (the port number, picked free, only names the socket), stopped and
// removed at the end. initdb refuses to run as root, so under root the
// server runs as the unprivileged `postgres` user (or `nobody`) through
// runuser, with the directory handed to it.
//
// One server per test binary: PgEnvironment (a gtest Environment) starts it
// before the first test; each test takes a fresh database from it.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"
#include "team/connection.h"

namespace cmdai::testing {

class PgServer {
 public:
  // Starts the server; error() says why when it could not.
  PgServer() { start(); }
  ~PgServer() {
    if (m_started) run({bin("pg_ctl"), "-D", data_dir(), "-m", "immediate", "-w", "stop"});
  }
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  bool started() const { return m_started; }
  const std::string& error() const { return m_error; }
  const std::filesystem::path& socket_dir() const { return m_dir.path(); }
  int port() const { return m_port; }

  // A libpq URL for database (on this server, as its superuser).
  std::string url(const std::string& database) const {
    return "postgresql:///" + database + "?host=" + m_dir.path().string() + "&port=" + std::to_string(m_port) +
           "&user=" + m_superuser;
  }

  // A new, empty database for one test; its URL.
  std::string fresh_database() {
    const std::string name = "cmdai_test_" + std::to_string(++m_databases);
    auto connection = team::Connection::open(url("postgres"));
    if (!connection) throw std::runtime_error(connection.error().describe());
    if (auto made = connection->exec("CREATE DATABASE " + name); !made) throw std::runtime_error(made.error().message);
    return url(name);
  }

  // Stops or starts the server (fault tests).
  bool stop() { return run({bin("pg_ctl"), "-D", data_dir(), "-m", "fast", "-w", "stop"}).exit_code == 0; }
  bool restart() { return launch(); }

 private:
  static std::string bin(const std::string& name) { return std::string(CMDAI_PG_BINDIR) + "/" + name; }
  std::string data_dir() const { return (m_dir.path() / "data").string(); }

  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    int port = 55432;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0)
      port = ntohs(address.sin_port);
    ::close(fd);
    return port;
  }

  // Under root, every server program runs as m_runas.
  ProcessResult run(std::vector<std::string> argv) const {
    if (!m_runas.empty()) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", m_runas, "--"});
    return run_process(argv);
  }

  bool hand_over_directory() {
    for (const char* name : {"postgres", "nobody"}) {
      const passwd* user = ::getpwnam(name);
      if (user == nullptr) continue;
      if (::chown(m_dir.path().c_str(), user->pw_uid, user->pw_gid) != 0) break;
      m_runas = name;
      m_superuser = name;
      return true;
    }
    m_error = "running as root and no unprivileged user (postgres, nobody) can own the server's directory";
    return false;
  }

  bool launch() {
    const std::string options = "-k " + m_dir.path().string() + " -p " + std::to_string(m_port) +
                                " -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
                                " -c full_page_writes=off";
    auto started = run({bin("pg_ctl"), "-D", data_dir(), "-l", (m_dir.path() / "server.log").string(), "-o", options,
                        "-w", "-t", "60", "start"});
    if (started.exit_code != 0) m_error = "pg_ctl start failed: " + started.out + started.err;
    return started.exit_code == 0;
  }

  void start() {
    const passwd* self = ::getpwuid(::geteuid());
    m_superuser = self != nullptr ? self->pw_name : "postgres";
    if (::geteuid() == 0 && !hand_over_directory()) return;
    auto made = run({bin("initdb"), "-D", data_dir(), "-U", m_superuser, "--auth=trust", "--no-sync", "-E", "UTF8",
                     "--locale=C.UTF-8"});
    if (made.exit_code != 0) {
      m_error = "initdb failed: " + made.out + made.err;
      return;
    }
    m_port = free_port();
    m_started = launch();
  }

  TempDir m_dir;
  std::string m_runas;      // "" when not root
  std::string m_superuser;  // the database superuser initdb created
  int m_port = 0;
  int m_databases = 0;
  bool m_started = false;
  std::string m_error;
};

// The one server of this test binary, started by PgEnvironment.
PgServer& pg_server();

}  // namespace cmdai::testing
