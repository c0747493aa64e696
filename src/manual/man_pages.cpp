#include "manual/man_pages.h"

#include <nlohmann/json.hpp>

#include "core/entity_json.h"
#include "core/shared_library.h"

namespace cmdai::manual {
namespace {

std::vector<std::filesystem::path> man_directories(const Env& env) {
  std::vector<std::filesystem::path> dirs;
  const std::string manpath = env.get_var("MANPATH").value_or("");
  std::size_t start = 0;
  while (start < manpath.size()) {
    const std::size_t end = std::min(manpath.find(':', start), manpath.size());
    if (end > start) dirs.emplace_back(manpath.substr(start, end - start));
    start = end + 1;
  }
  // An empty entry (or none at all) means the system's own directories.
  if (manpath.empty() || manpath.find("::") != std::string::npos || manpath.back() == ':' || manpath.front() == ':') {
    dirs.emplace_back("/usr/local/share/man");
    dirs.emplace_back("/usr/share/man");
  }
  return dirs;
}

nlohmann::json to_json(const PageOptions& page) {
  nlohmann::json options = nlohmann::json::object();
  for (const auto& [flag, text] : page.options) options[flag] = {text.description, text.takes_value};
  return {{"summary", page.summary}, {"options", options}};
}

PageOptions from_json(const nlohmann::json& json) {
  PageOptions page;
  page.summary = json.at("summary").get<std::string>();
  for (const auto& [flag, text] : json.at("options").items()) {
    page.options[flag] = OptionText{text.at(0).get<std::string>(), text.at(1).get<bool>()};
  }
  return page;
}

// The cache key: the page's path, size and modification time.
std::string page_stamp(const std::filesystem::path& page) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(page, ec);
  const auto time = std::filesystem::last_write_time(page, ec).time_since_epoch().count();
  return page.string() + "|" + std::to_string(size) + "|" + std::to_string(time);
}

}  // namespace

std::optional<std::filesystem::path> locate_page(const Env& env, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') return std::nullopt;
  for (const auto& dir : man_directories(env)) {
    for (const char* section : {"1", "8", "6"}) {
      for (const char* suffix : {".gz", ""}) {
        auto page = dir / ("man" + std::string(section)) / (name + "." + section + suffix);
        if (env.file_exists(page)) return page;
      }
    }
  }
  return std::nullopt;
}

namespace {

// zlib, opened on first use like libcurl (llm/curl_library): start-up
// never loads it. Only gzopen/gzread/gzclose are needed; gzread reads a
// file that is not compressed as it is.
struct Zlib {
  using Open = void* (*)(const char*, const char*);
  using Read = int (*)(void*, void*, unsigned);
  using Close = int (*)(void*);
  Open open = nullptr;
  Read read = nullptr;
  Close close = nullptr;
};

Result<Zlib> open_zlib() {
  auto opened = open_shared_library("libz.so.1", "zlib", "install it (apt-get install zlib1g) to read man pages");
  if (!opened) return fail(opened.error());
  Zlib z;
  std::string missing;
  bind_symbol(*opened, "gzopen", z.open, missing);
  bind_symbol(*opened, "gzread", z.read, missing);
  bind_symbol(*opened, "gzclose", z.close, missing);
  if (!missing.empty()) return fail(ErrorCode::unavailable, "zlib has no " + missing);
  return z;
}

const Result<Zlib>& zlib() {
  static const Result<Zlib> loaded = open_zlib();
  return loaded;
}

}  // namespace

Result<std::string> read_page(const std::filesystem::path& page) {
  const Result<Zlib>& z = zlib();
  if (!z) return fail(z.error());
  void* file = z->open(page.c_str(), "rb");
  if (file == nullptr) return fail(ErrorCode::io_error, "cannot open " + page.string());
  std::string text;
  char buffer[65536];
  int n = 0;
  while ((n = z->read(file, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
  z->close(file);
  if (n < 0) return fail(ErrorCode::io_error, "cannot read " + page.string() + " (damaged gzip data)");
  return text;
}

std::optional<PageOptions> page_options(Env& env, const std::string& name, const std::filesystem::path& cache_dir) {
  const auto page = locate_page(env, name);
  if (!page) return std::nullopt;
  const std::string stamp = page_stamp(*page);
  const auto cached = cache_dir / (name + ".json");
  if (auto text = env.read_file(cached)) {
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_object() && json.value("stamp", "") == stamp) {
      try {
        return from_json(json);
      } catch (const nlohmann::json::exception&) {
        // a damaged cache entry is parsed again below
      }
    }
  }
  auto text = read_page(*page);
  if (!text) return std::nullopt;
  PageOptions parsed = parse_roff_options(*text);
  auto json = to_json(parsed);
  json["stamp"] = stamp;
  std::error_code ec;
  std::filesystem::create_directories(cache_dir, ec);
  // A cache: when it cannot be written, the next run parses the page again.
  (void)env.write_file_atomic(cached, json_text(json));
  return parsed;
}

}  // namespace cmdai::manual
