#include "store/health.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace cmdai::store {
namespace {

constexpr std::array<char, 16> k_magic{'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};
constexpr std::size_t k_header_size = 100;

std::uint32_t read_be32(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

Error damaged(const std::filesystem::path& path, const std::string& what) {
  return Error{ErrorCode::corruption, "the database " + path.string() + " is damaged: " + what, {}};
}

std::string compact_utc(Timestamp now) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{seconds - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02uT%02ld%02ld%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buffer;
}

}  // namespace

Result<void> probe_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0) return {};
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::io_error, "cannot read " + path.string(), "check its permissions");
  std::array<unsigned char, k_header_size> header{};
  in.read(reinterpret_cast<char*>(header.data()), header.size());
  if (static_cast<std::size_t>(in.gcount()) < k_header_size) return fail(damaged(path, "shorter than a header"));
  if (std::memcmp(header.data(), k_magic.data(), k_magic.size()) != 0) {
    return fail(damaged(path, "not an SQLite database"));
  }
  std::uint32_t page_size = (std::uint32_t{header[16]} << 8) | header[17];
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) return fail(damaged(path, "bad page size"));
  if (size % page_size != 0) return fail(damaged(path, "its size is not a whole number of pages"));
  // The in-header page count is only meaningful when the change counter
  // matches the version-valid-for number (SQLite file format, section 1.3.7).
  const bool count_valid = read_be32(&header[24]) == read_be32(&header[92]);
  const std::uint64_t pages = read_be32(&header[28]);
  if (count_valid && pages > 0 && size < pages * page_size) {
    return fail(
        damaged(path, "truncated (" + std::to_string(size / page_size) + " of " + std::to_string(pages) + " pages)"));
  }
  return {};
}

Result<void> probe(Database& db) {
  auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'");
  if (!tables) return fail(tables.error());
  std::vector<std::string> names;
  while (true) {
    auto row = tables->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    names.push_back(tables->column_text(0));
  }
  for (const auto& name : names) {
    if (name.rfind("sqlite_", 0) == 0 || name.find('"') != std::string::npos) continue;
    auto edges =
        db.prepare("SELECT (SELECT rowid FROM \"" + name + "\" ORDER BY rowid LIMIT 1), (SELECT rowid FROM \"" + name +
                   "\" ORDER BY rowid DESC LIMIT 1)");
    if (!edges) continue;  // WITHOUT ROWID tables have no rowid edge to read
    auto row = edges->step();
    if (!row) return fail(row.error());
  }
  return {};
}

Result<void> integrity_check(Database& db) {
  auto check = db.prepare("PRAGMA quick_check(1)");
  if (!check) return fail(check.error());
  auto row = check->step();
  if (!row) return fail(row.error());
  const std::string verdict = *row ? check->column_text(0) : std::string("no answer");
  if (verdict != "ok")
    return fail(ErrorCode::corruption, "the database " + db.path().string() + " is damaged: " + verdict);
  return {};
}

Result<std::filesystem::path> move_aside(const std::filesystem::path& path, Timestamp now) {
  std::filesystem::path target = path.string() + ".corrupt-" + compact_utc(now);
  for (int n = 2; std::filesystem::exists(target); ++n) {
    target = path.string() + ".corrupt-" + compact_utc(now) + "-" + std::to_string(n);
  }
  std::error_code ec;
  std::filesystem::rename(path, target, ec);
  if (ec) return fail(ErrorCode::io_error, "cannot move " + path.string() + " aside: " + ec.message());
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::filesystem::path side = path.string() + suffix;
    if (std::filesystem::exists(side, ec)) std::filesystem::rename(side, target.string() + suffix, ec);
  }
  return target;
}

}  // namespace cmdai::store
