#pragma once
// FakeEnv: an Env whose clock, variables and identity tests set by hand.
// Files go to the real file system (tests point them at a TempDir).

#include <map>
#include <string>

#include "core/env.h"

namespace cmdai::testing {

class FakeEnv final : public Env {
 public:
  Timestamp now() const override { return m_now; }
  std::chrono::steady_clock::time_point monotonic_now() const override {
    return std::chrono::steady_clock::time_point{m_now.time_since_epoch()};
  }
  std::optional<std::string> get_var(std::string_view name) const override {
    auto it = m_vars.find(std::string(name));
    if (it == m_vars.end()) return std::nullopt;
    return it->second;
  }
  Result<std::string> read_file(const std::filesystem::path& path) const override { return m_real.read_file(path); }
  Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view contents) override {
    return m_real.write_file_atomic(path, contents);
  }
  bool file_exists(const std::filesystem::path& path) const override { return m_real.file_exists(path); }
  bool is_terminal(int) const override { return m_terminal; }
  std::string user_name() const override { return "tester"; }
  std::string home_dir() const override { return m_home; }
  std::string current_dir() const override { return m_cwd; }
  std::string host_name() const override { return "testhost"; }
  bool is_root() const override { return m_root; }

  void set_var(const std::string& name, const std::string& value) { m_vars[name] = value; }
  void advance(std::chrono::microseconds by) { m_now += by; }

  Timestamp m_now = Timestamp{std::chrono::seconds{1'764'547'200}};  // 2025-12-01T00:00:00Z
  std::map<std::string, std::string> m_vars;
  std::string m_home = "/home/tester";
  std::string m_cwd = "/home/tester/project";
  bool m_terminal = false;
  bool m_root = false;

 private:
  RealEnv m_real;
};

}  // namespace cmdai::testing
