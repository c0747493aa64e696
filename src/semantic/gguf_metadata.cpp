#include "semantic/gguf_metadata.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

namespace cmdai::semantic {
namespace {

enum GgufType : std::uint32_t {
  k_uint8 = 0,
  k_int8 = 1,
  k_uint16 = 2,
  k_int16 = 3,
  k_uint32 = 4,
  k_int32 = 5,
  k_float32 = 6,
  k_bool = 7,
  k_string = 8,
  k_array = 9,
  k_uint64 = 10,
  k_int64 = 11,
  k_float64 = 12,
};

// Bytes per value of each fixed-size type; 0 for strings and arrays.
constexpr std::array<std::uint64_t, 13> k_type_size{1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};
constexpr std::uint64_t k_max_kv = 1U << 20;
constexpr std::uint64_t k_max_kept_string = 1U << 20;  // a wanted string value (a chat template is ~10 KB)

struct FileClose {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// Sequential reads through a buffer of its own; skips past the buffer seek.
class HeaderReader {
 public:
  explicit HeaderReader(const std::filesystem::path& path) : m_file(std::fopen(path.c_str(), "rb")) {
    std::error_code ec;
    m_size = std::filesystem::file_size(path, ec);
    if (ec) m_file.reset();
  }
  bool opened() const { return m_file != nullptr; }

  bool read(void* out, std::size_t n) {
    auto* bytes = static_cast<char*>(out);
    while (n > 0) {
      if (m_pos == m_end && !fill()) return false;
      const std::size_t take = std::min(n, m_end - m_pos);
      std::memcpy(bytes, m_buffer.data() + m_pos, take);
      m_pos += take;
      m_offset += take;
      bytes += take;
      n -= take;
    }
    return true;
  }

  // Past the end of the file is an error, as a read there would be.
  bool skip(std::uint64_t n) {
    if (n > m_size - m_offset) return false;
    m_offset += n;
    const std::size_t buffered = m_end - m_pos;
    if (n <= buffered) {
      m_pos += n;
      return true;
    }
    n -= buffered;
    m_pos = m_end;
    if (n > static_cast<std::uint64_t>(std::numeric_limits<long>::max())) return false;
    return std::fseek(m_file.get(), static_cast<long>(n), SEEK_CUR) == 0;
  }

  template <typename T>
  bool value(T& out) {
    return read(&out, sizeof out);
  }

 private:
  bool fill() {
    m_pos = 0;
    m_end = std::fread(m_buffer.data(), 1, m_buffer.size(), m_file.get());
    return m_end > 0;
  }

  std::unique_ptr<std::FILE, FileClose> m_file;
  std::vector<char> m_buffer = std::vector<char>(1U << 16);
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
  std::uint64_t m_size = 0;    // of the file
  std::uint64_t m_offset = 0;  // in the file, of the next byte to read
};

bool read_string(HeaderReader& in, std::string& out) {
  std::uint64_t size = 0;
  if (!in.value(size) || size > k_max_kept_string) return false;
  out.resize(size);
  return in.read(out.data(), size);
}

bool skip_string(HeaderReader& in) {
  std::uint64_t size = 0;
  return in.value(size) && in.skip(size);
}

bool skip_value(HeaderReader& in, std::uint32_t type, int depth = 0) {
  if (type >= k_type_size.size()) return false;
  if (type == k_string) return skip_string(in);
  if (type != k_array) return in.skip(k_type_size[type]);
  std::uint32_t element = 0;
  std::uint64_t count = 0;
  if (depth > 0 || !in.value(element) || !in.value(count) || element >= k_type_size.size()) return false;
  if (element == k_string || element == k_array) {
    for (std::uint64_t i = 0; i < count; ++i) {
      if (!skip_value(in, element, depth + 1)) return false;
    }
    return true;
  }
  if (count > std::numeric_limits<std::uint64_t>::max() / k_type_size[element]) return false;
  return in.skip(count * k_type_size[element]);
}

bool read_unsigned(HeaderReader& in, std::uint32_t type, std::uint64_t& out) {
  switch (type) {
    case k_uint8: {
      std::uint8_t v = 0;
      if (!in.value(v)) return false;
      out = v;
      return true;
    }
    case k_uint16: {
      std::uint16_t v = 0;
      if (!in.value(v)) return false;
      out = v;
      return true;
    }
    case k_uint32: {
      std::uint32_t v = 0;
      if (!in.value(v)) return false;
      out = v;
      return true;
    }
    default: return in.value(out);  // k_uint64
  }
}

bool read_value(HeaderReader& in, std::uint32_t type, GgufValue& out) {
  if (type == k_string) {
    std::string text;
    if (!read_string(in, text)) return false;
    out = std::move(text);
    return true;
  }
  if (type == k_uint8 || type == k_uint16 || type == k_uint32 || type == k_uint64) {
    std::uint64_t number = 0;
    if (!read_unsigned(in, type, number)) return false;
    out = number;
    return true;
  }
  out = GgufOther{};
  return skip_value(in, type);
}

}  // namespace

Result<std::map<std::string, GgufValue>> read_gguf_metadata(const std::filesystem::path& path,
                                                            const std::set<std::string>& wanted) {
  const auto damaged = [&] { return fail(ErrorCode::unavailable, "no readable GGUF header in " + path.string()); };
  HeaderReader in(path);
  if (!in.opened()) return damaged();
  std::array<char, 4> magic{};
  std::uint32_t version = 0;
  std::uint64_t tensors = 0;
  std::uint64_t count = 0;
  if (!in.read(magic.data(), magic.size()) || std::memcmp(magic.data(), "GGUF", 4) != 0) return damaged();
  if (!in.value(version) || (version != 2 && version != 3)) return damaged();
  if (!in.value(tensors) || !in.value(count) || count > k_max_kv) return damaged();
  std::map<std::string, GgufValue> found;
  std::string key;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint32_t type = 0;
    if (!read_string(in, key) || !in.value(type)) return damaged();
    const bool keep = wanted.contains(key);
    if (keep ? !read_value(in, type, found[key]) : !skip_value(in, type)) return damaged();
  }
  return found;
}

}  // namespace cmdai::semantic
