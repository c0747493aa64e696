// libFuzzer target: any bytes as config.toml. Loading never crashes or
// throws, and a file that could not be used never leaves cmdai free to run
// commands on defaults: either the file loaded, or execution is refused (no
// last good copy exists here: the file lives in a directory that does not).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/configuration.h"

namespace {

// An Env whose only file is the fuzzer's config.
class BytesEnv final : public cmdai::Env {
 public:
  explicit BytesEnv(std::string_view bytes) : m_bytes(bytes) {}
  cmdai::Timestamp now() const override { return cmdai::Timestamp{}; }
  std::chrono::steady_clock::time_point monotonic_now() const override { return {}; }
  std::optional<std::string> get_var(std::string_view) const override { return std::nullopt; }
  cmdai::Result<std::string> read_file(const std::filesystem::path& path) const override {
    if (path != k_path) return cmdai::fail(cmdai::ErrorCode::not_found, "no such file");
    return m_bytes;
  }
  cmdai::Result<void> write_file_atomic(const std::filesystem::path&, std::string_view) override {
    return cmdai::fail(cmdai::ErrorCode::io_error, "read-only");
  }
  bool file_exists(const std::filesystem::path& path) const override { return path == k_path; }
  bool is_terminal(int) const override { return false; }
  std::string user_name() const override { return "fuzz"; }
  std::string home_dir() const override { return "/nonexistent"; }
  std::string current_dir() const override { return "/nonexistent"; }
  std::string host_name() const override { return "fuzz"; }
  bool is_root() const override { return false; }

  static inline const std::filesystem::path k_path{"/nonexistent-cmdai-fuzz/config.toml"};

 private:
  std::string m_bytes;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const BytesEnv env(std::string_view(reinterpret_cast<const char*>(data), size));
  const auto loaded = cmdai::config::load_configuration(env, BytesEnv::k_path);
  const bool refused = loaded.state.execution_refused.has_value();
  if (loaded.source == cmdai::config::FileSource::file && refused) __builtin_trap();
  if (loaded.source != cmdai::config::FileSource::file && !refused) __builtin_trap();
  return 0;
}
