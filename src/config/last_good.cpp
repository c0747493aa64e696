#include "config/last_good.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "core/uuid.h"

namespace cmdai::config {
namespace {

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::filesystem::path last_good_path(const std::filesystem::path& config_file) {
  return config_file.string() + ".last-good";
}

void keep_last_good(const Env& env, const std::filesystem::path& config_file, std::string_view text) {
  const std::filesystem::path target = last_good_path(config_file);
  if (auto kept = read_last_good(env, config_file); kept && *kept == text) return;
  const std::string temporary = target.string() + ".tmp-" + make_uuid_v4().substr(0, 8);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const bool written = write_all(fd, text) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), target.c_str()) != 0) ::unlink(temporary.c_str());
}

std::optional<std::string> read_last_good(const Env& env, const std::filesystem::path& config_file) {
  const std::filesystem::path path = last_good_path(config_file);
  if (!env.file_exists(path)) return std::nullopt;
  auto text = env.read_file(path);
  if (!text) return std::nullopt;
  return std::move(*text);
}

}  // namespace cmdai::config
