#include "core/env.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cmdai {

Error posix_error(std::string_view context, int error_number) {
  const ErrorCode code = error_number == ENOENT ? ErrorCode::not_found : ErrorCode::io_error;
  return Error{code, std::string(context) + ": " + std::strerror(error_number), {}};
}

Timestamp RealEnv::now() const { return Clock::now(); }

std::chrono::steady_clock::time_point RealEnv::monotonic_now() const { return std::chrono::steady_clock::now(); }

std::optional<std::string> RealEnv::get_var(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<std::string> RealEnv::read_file(const std::filesystem::path& path) const {
  // A directory opens as a stream that reads as empty: say what it is instead.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return fail(posix_error("reading " + path.string(), EISDIR));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(posix_error("reading " + path.string(), errno));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return fail(posix_error("reading " + path.string(), errno));
  return contents.str();
}

Result<void> RealEnv::write_file_atomic(const std::filesystem::path& path, std::string_view contents) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const std::string temp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(posix_error("writing " + temp, errno));
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return fail(posix_error("writing " + temp, saved));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return fail(posix_error("writing " + temp, saved));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return fail(posix_error("replacing " + path.string(), saved));
  }
  return {};
}

bool RealEnv::file_exists(const std::filesystem::path& path) const {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

std::filesystem::file_type RealEnv::file_type(const std::filesystem::path& path) const {
  std::error_code ec;
  return std::filesystem::status(path, ec).type();
}

bool RealEnv::is_terminal(int fd) const { return ::isatty(fd) == 1; }

std::string RealEnv::user_name() const {
  if (const char* user = std::getenv("USER")) return user;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "unknown";
}

std::string RealEnv::home_dir() const {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_dir;
  return "/";
}

std::string RealEnv::current_dir() const {
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  return ec ? std::string("/") : cwd.string();
}

std::string RealEnv::host_name() const {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

bool RealEnv::is_root() const { return ::geteuid() == 0; }

}  // namespace cmdai
