#pragma once
// FaultyEnv: a FakeEnv whose file reads or writes fail with a chosen errno,
// as an unreadable file or a read-only file system makes them fail (root
// ignores permission bits, so chmod alone cannot test this).

#include <cerrno>

#include "support/fake_env.h"

namespace cmdai::testing {

class FaultyEnv final : public Env {
 public:
  int m_read_errno = 0;   // 0: reads work
  int m_write_errno = 0;  // 0: writes work

  Timestamp now() const override { return m_fake.now(); }
  std::chrono::steady_clock::time_point monotonic_now() const override { return m_fake.monotonic_now(); }
  std::optional<std::string> get_var(std::string_view name) const override { return m_fake.get_var(name); }
  Result<std::string> read_file(const std::filesystem::path& path) const override {
    if (m_read_errno != 0) return fail(posix_error("reading " + path.string(), m_read_errno));
    return m_fake.read_file(path);
  }
  Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view contents) override {
    if (m_write_errno != 0) return fail(posix_error("writing " + path.string() + ".tmp", m_write_errno));
    return m_fake.write_file_atomic(path, contents);
  }
  bool file_exists(const std::filesystem::path& path) const override { return m_fake.file_exists(path); }
  bool is_terminal(int fd) const override { return m_fake.is_terminal(fd); }
  std::string user_name() const override { return m_fake.user_name(); }
  std::string home_dir() const override { return m_fake.home_dir(); }
  std::string current_dir() const override { return m_fake.current_dir(); }
  std::string host_name() const override { return m_fake.host_name(); }
  bool is_root() const override { return false; }

 private:
  FakeEnv m_fake;
};

}  // namespace cmdai::testing
