#pragma once
// Local GGUF models: a small catalog of models suited to command generation
// (and one 384-dimension embedding model), and a downloader with resume,
// progress, sha256 check and atomic rename into the models directory.
//
// A download writes NAME.gguf.part next to the target, resumes it with a
// Range request when it exists, checks size and sha256 when the catalog
// pins them, and renames it to NAME.gguf only when complete and verified,
// so a model file is either absent or whole.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cmdai::llm {

enum class ModelKind { chat, embedding };

struct CatalogEntry {
  std::string_view name;  // what users type: cmdai model pull NAME
  std::string_view file;  // file name in the models directory
  std::string_view url;
  std::uint64_t size = 0;   // bytes; 0: not pinned
  std::string_view sha256;  // lower-case hex; empty: not pinned
  ModelKind kind = ModelKind::chat;
  std::string_view description;
};

std::span<const CatalogEntry> model_catalog();
// Errors: not_found, with the closest name as a hint.
Result<const CatalogEntry*> find_catalog_entry(std::string_view name);

struct DownloadRequest {
  std::string url;
  std::filesystem::path destination;  // the final file; NAME.part is written next to it
  std::string sha256;                 // expected; empty: not checked
  std::uint64_t size = 0;             // expected; 0: not checked
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds idle_timeout{30'000};
};

struct DownloadProgress {
  std::uint64_t received = 0;  // bytes in the file so far (including a resumed part)
  std::uint64_t total = 0;     // 0 when unknown
};

struct DownloadResult {
  std::filesystem::path path;
  std::string sha256;
  std::uint64_t bytes = 0;
  std::uint64_t resumed_from = 0;  // bytes already present before this download
};

// Errors: unavailable (no network, server refused; fails fast offline),
// timeout, cancelled (the .part stays for a later resume), corruption
// (size or sha256 mismatch; the .part is removed), io_error.
Result<DownloadResult> download_model(const DownloadRequest& request,
                                      const std::function<void(const DownloadProgress&)>& on_progress,
                                      std::stop_token stop);

// sha256 of a file, as lower-case hex. Errors: io_error.
Result<std::string> file_sha256(const std::filesystem::path& path);

}  // namespace cmdai::llm
