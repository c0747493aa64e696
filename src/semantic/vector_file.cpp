#include "semantic/vector_file.h"

#include <cerrno>
#include <cmath>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/env.h"

namespace cmdai::semantic {
namespace {

constexpr char k_magic[8] = {'c', 'm', 'd', 'a', 'i', 'v', 'x', '\n'};
constexpr std::uint32_t k_version = 2;  // 2: ternary prefilter bits
constexpr std::uint32_t k_byte_order = 0x01020304;
constexpr std::size_t k_model_bytes = 200;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t byte_order;
  std::uint64_t dimensions;
  std::uint64_t count;
  std::uint64_t generation;
  std::int64_t max_rowid;
  std::uint32_t model_length;
  char model[k_model_bytes];
  char padding[256 - 8 - 4 - 4 - 8 * 4 - 4 - k_model_bytes];
};
static_assert(sizeof(Header) == 256);

constexpr std::size_t aligned(std::size_t n) { return (n + 63) / 64 * 64; }

struct Layout {
  std::size_t ids, scales, signs, codes, total;
};

Layout layout_for(std::size_t count, std::size_t dimensions) {
  Layout l{};
  l.ids = sizeof(Header);
  l.scales = l.ids + aligned(count * sizeof(std::int64_t));
  l.signs = l.scales + aligned(count * sizeof(float));
  l.codes = l.signs + aligned(count * sign_words(dimensions) * sizeof(std::uint64_t));
  l.total = l.codes + aligned(count * dimensions);
  return l;
}

struct Mapping {
  void* address = nullptr;
  std::size_t length = 0;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  Mapping(void* a, std::size_t n) : address(a), length(n) {}
  ~Mapping() { munmap(address, length); }
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

Result<void> write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return fail(posix_error("writing " + path.string(), errno));
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return {};
}

// Each segment's part of one array, then zeros up to the next alignment.
template <typename Part>
Result<void> write_array(int fd, const VectorIndex& index, std::size_t row_bytes, Part part,
                         const std::filesystem::path& path) {
  for (const auto& segment : index.segments()) {
    if (segment.count > 0) CMDAI_TRY(write_all(fd, part(segment), segment.count * row_bytes, path));
  }
  const std::size_t used = index.size() * row_bytes;
  static const char zeros[64] = {};
  return write_all(fd, zeros, aligned(used) - used, path);
}

Error damaged(const std::filesystem::path& path, const std::string& what) {
  return Error{ErrorCode::corruption, "the vector index " + path.string() + " is damaged (" + what + ")",
               "it is rebuilt from the history"};
}

Result<void> check_rows(const VectorRows& rows, const std::filesystem::path& path) {
  for (std::size_t i = 0; i < rows.count; ++i) {
    if (i > 0 && rows.ids[i] <= rows.ids[i - 1]) return fail(damaged(path, "ids out of order"));
    if (!std::isfinite(rows.scales[i])) return fail(damaged(path, "a scale is not a number"));
  }
  return {};
}

}  // namespace

std::filesystem::path vector_file_path(const std::filesystem::path& database) {
  if (database.empty() || database == ":memory:") return {};
  return std::filesystem::path(database.string() + ".vectors");
}

Result<void> write_vector_file(const std::filesystem::path& path, const VectorIndex& index,
                               const VectorFileInfo& info) {
  Header header{};
  std::memcpy(header.magic, k_magic, sizeof k_magic);
  header.version = k_version;
  header.byte_order = k_byte_order;
  header.dimensions = index.dimensions();
  header.count = index.size();
  header.generation = info.generation;
  header.max_rowid = info.max_rowid;
  header.model_length = static_cast<std::uint32_t>(std::min(info.model_id.size(), k_model_bytes));
  std::memcpy(header.model, info.model_id.data(), header.model_length);
  const std::filesystem::path temporary = path.string() + ".tmp-" + std::to_string(getpid());
  Fd out{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
  if (out.fd < 0) return fail(posix_error("creating " + temporary.string(), errno));
  const std::size_t dims = index.dimensions();
  const std::size_t sign_bytes = sign_words(dims) * sizeof(std::uint64_t);
  auto written = [&]() -> Result<void> {
    CMDAI_TRY(write_all(out.fd, &header, sizeof header, temporary));
    CMDAI_TRY(write_array(
        out.fd, index, sizeof(std::int64_t), [](const VectorRows& r) { return r.ids; }, temporary));
    CMDAI_TRY(write_array(
        out.fd, index, sizeof(float), [](const VectorRows& r) { return r.scales; }, temporary));
    CMDAI_TRY(write_array(
        out.fd, index, sign_bytes, [](const VectorRows& r) { return r.signs; }, temporary));
    return write_array(
        out.fd, index, dims, [](const VectorRows& r) { return r.codes; }, temporary);
  }();
  if (written && ::fsync(out.fd) != 0) written = fail(posix_error("writing " + temporary.string(), errno));
  if (written && std::rename(temporary.c_str(), path.c_str()) != 0) {
    written = fail(posix_error("renaming " + temporary.string(), errno));
  }
  if (!written) std::filesystem::remove(temporary);
  return written;
}

Result<std::optional<MappedIndex>> map_vector_file(const std::filesystem::path& path, std::size_t dimensions,
                                                   IndexOptions options) {
  Fd in{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0 && errno == ENOENT) return std::optional<MappedIndex>{};
  if (in.fd < 0) return fail(posix_error("opening " + path.string(), errno));
  struct stat status {};
  if (::fstat(in.fd, &status) != 0) return fail(posix_error("reading " + path.string(), errno));
  const auto size = static_cast<std::size_t>(status.st_size);
  if (size < sizeof(Header)) return fail(damaged(path, "too short"));
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, in.fd, 0);
  if (address == MAP_FAILED) return fail(posix_error("mapping " + path.string(), errno));
  auto mapping = std::make_shared<const Mapping>(address, size);
  const auto* base = static_cast<const char*>(address);
  Header header{};
  std::memcpy(&header, base, sizeof header);
  if (std::memcmp(header.magic, k_magic, sizeof k_magic) != 0 || header.version != k_version ||
      header.byte_order != k_byte_order || header.model_length > k_model_bytes) {
    return fail(damaged(path, "not a cmdai vector index of this version"));
  }
  if (header.dimensions != dimensions) return fail(damaged(path, "vectors of another size"));
  if (header.count > size / (dimensions + 1) || layout_for(header.count, dimensions).total != size) {
    return fail(damaged(path, "its size does not match its header"));
  }
  const Layout l = layout_for(header.count, dimensions);
  const VectorRows rows{reinterpret_cast<const std::int64_t*>(base + l.ids),
                        reinterpret_cast<const float*>(base + l.scales),
                        reinterpret_cast<const std::uint64_t*>(base + l.signs),
                        reinterpret_cast<const std::int8_t*>(base + l.codes), header.count};
  CMDAI_TRY(check_rows(rows, path));
  if (header.count > 0 && rows.ids[header.count - 1] != header.max_rowid) {
    return fail(damaged(path, "its last id does not match its header"));
  }
  VectorFileInfo info{std::string(header.model, header.model_length), header.generation, header.max_rowid};
  return std::optional<MappedIndex>(MappedIndex{VectorIndex(dimensions, rows, mapping, options), std::move(info)});
}

}  // namespace cmdai::semantic
