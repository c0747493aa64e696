#pragma once
// Env: the seam between cmdai and the machine (clock, environment variables,
// files, terminals). The real one talks to the OS; tests substitute a fake
// (tests/support/fake_env.h) so that nothing waits for time to pass.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai {

class Env {
 public:
  virtual ~Env() = default;

  virtual Timestamp now() const = 0;
  virtual std::chrono::steady_clock::time_point monotonic_now() const = 0;

  // The value of an environment variable, or nullopt when unset.
  virtual std::optional<std::string> get_var(std::string_view name) const = 0;

  virtual Result<std::string> read_file(const std::filesystem::path& path) const = 0;
  // Writes to a temporary file beside path, fsyncs it, then renames it over
  // path: readers see the old or the new contents, never a mix.
  virtual Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view contents) = 0;
  virtual bool file_exists(const std::filesystem::path& path) const = 0;
  // What path names, following links (a link to /dev/sda is a block
  // device); not_found when nothing is there. An Env that cannot look says
  // unknown.
  virtual std::filesystem::file_type file_type(const std::filesystem::path&) const {
    return std::filesystem::file_type::unknown;
  }

  // True when the file descriptor is a terminal (0 stdin, 1 stdout, 2 stderr).
  virtual bool is_terminal(int fd) const = 0;

  // User name and home directory of the current user.
  virtual std::string user_name() const = 0;
  virtual std::string home_dir() const = 0;
  virtual std::string current_dir() const = 0;
  virtual std::string host_name() const = 0;
  virtual bool is_root() const = 0;
};

// The process's real environment.
class RealEnv final : public Env {
 public:
  Timestamp now() const override;
  std::chrono::steady_clock::time_point monotonic_now() const override;
  std::optional<std::string> get_var(std::string_view name) const override;
  Result<std::string> read_file(const std::filesystem::path& path) const override;
  Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view contents) override;
  bool file_exists(const std::filesystem::path& path) const override;
  std::filesystem::file_type file_type(const std::filesystem::path& path) const override;
  bool is_terminal(int fd) const override;
  std::string user_name() const override;
  std::string home_dir() const override;
  std::string current_dir() const override;
  std::string host_name() const override;
  bool is_root() const override;
};

// errno translated into an Error with context ("reading config.toml: ...").
Error posix_error(std::string_view context, int error_number);

}  // namespace cmdai
