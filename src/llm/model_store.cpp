#include "llm/model_store.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <vector>

#include "core/edit_distance.h"
#include "llm/http_transport.h"
#include "llm/sha256.h"

namespace cmdai::llm {
namespace {

// Every entry is pinned to one file at one Hugging Face revision: the URL
// names the commit, and size and sha256 are the values published for that
// file (its Git LFS pointer: `size` and `oid sha256:`), as pinned
// identically by several other projects that download the same files.
//   Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF  @ ebb2015119c9  qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
//   Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF  @ f86cb2c1fa58  qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
//   Qwen/Qwen2.5-Coder-3B-Instruct-GGUF    @ f74adce6aa16  qwen2.5-coder-3b-instruct-q4_k_m.gguf
//   CompendiumLabs/bge-small-en-v1.5-gguf  @ d32f8c040ea3  bge-small-en-v1.5-q8_0.gguf
// A file changed upstream fails the check and is never installed.
constexpr std::array<CatalogEntry, 4> k_catalog{{
    {"qwen2.5-coder-1.5b", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
     "https://huggingface.co/Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/f86cb2c1fa58255f8052cc32aeede1b7482d4361/"
     "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
     1'117'320'768, "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", ModelKind::chat,
     "Qwen2.5 Coder 1.5B Instruct, Q4_K_M (1.0 GB): the default command model"},
    {"qwen2.5-coder-0.5b", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
     "https://huggingface.co/Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/resolve/ebb2015119c907b064c512bf053e945850b5875f/"
     "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
     491'400'064, "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", ModelKind::chat,
     "Qwen2.5 Coder 0.5B Instruct, Q4_K_M (469 MB): fastest, for small machines"},
    {"qwen2.5-coder-3b", "qwen2.5-coder-3b-instruct-q4_k_m.gguf",
     "https://huggingface.co/Qwen/Qwen2.5-Coder-3B-Instruct-GGUF/resolve/f74adce6aa16316c625447af059dbebe4983757c/"
     "qwen2.5-coder-3b-instruct-q4_k_m.gguf",
     2'104'932'800, "724fb256bec1ff062b2f65e4569e871ad2e95ab2a3989723d1769c54294730b7", ModelKind::chat,
     "Qwen2.5 Coder 3B Instruct, Q4_K_M (2.0 GB): better answers, slower"},
    {"bge-small-en", "bge-small-en-v1.5-q8_0.gguf",
     "https://huggingface.co/CompendiumLabs/bge-small-en-v1.5-gguf/resolve/d32f8c040ea3b516330eeb75b72bcc2d3a780ab7/"
     "bge-small-en-v1.5-q8_0.gguf",
     36'806'944, "ec38e8da142596baa913124ae50550de284b6916bf59577ef2f0cb9660c2f514", ModelKind::embedding,
     "BGE small en v1.5, Q8_0 (35 MB): 384-dimension embeddings for semantic search"},
}};

std::uint64_t size_of(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

Error offline_error(const Error& cause) {
  return Error{cause.code, "download failed: " + cause.message,
               "check the internet connection or https_proxy; or download the file elsewhere and pass "
               "--model PATH.gguf"};
}

}  // namespace

std::span<const CatalogEntry> model_catalog() { return k_catalog; }

Result<const CatalogEntry*> find_catalog_entry(std::string_view name) {
  const CatalogEntry* best = nullptr;
  std::size_t best_distance = 4;
  for (const auto& entry : k_catalog) {
    if (entry.name == name) return &entry;
    if (const auto d = edit_distance(name, entry.name); d < best_distance) {
      best_distance = d;
      best = &entry;
    }
  }
  return fail(ErrorCode::not_found, "no model named '" + std::string(name) + "' in the catalog",
              best ? "did you mean " + std::string(best->name) + "? (cmdai model list)" : "see: cmdai model list");
}

Result<std::string> file_sha256(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::io_error, "cannot read " + path.string());
  Sha256 hash;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) return fail(ErrorCode::io_error, "cannot read " + path.string());
  return hash.hex_digest();
}

namespace {

// Fetches the rest of `part` from the server, appending to it.
Result<void> fetch_part(const DownloadRequest& request, const std::filesystem::path& part, DownloadResult& result,
                        const std::function<void(const DownloadProgress&)>& on_progress, std::stop_token stop) {
  HttpTransport transport;
  HttpRequest http;
  http.url = request.url;
  http.connect_timeout = request.connect_timeout;
  http.idle_timeout = request.idle_timeout;
  http.resume_from = result.resumed_from;
  std::ofstream out;
  std::uint64_t received = result.resumed_from;
  std::optional<Error> write_error;
  http.on_status = [&](long status) {
    if (status >= 400) return;
    // 206: the server resumes; 200 despite the Range: it starts over.
    if (status != 206) received = 0;
    out.open(part, std::ios::binary | (received > 0 ? std::ios::app : std::ios::trunc));
    if (!out) write_error = Error{ErrorCode::io_error, "cannot write " + part.string(), {}};
  };
  auto response = transport.perform(
      http,
      [&](std::string_view bytes) {
        if (write_error) return false;
        received += bytes.size();
        if (request.size > 0 && received > request.size) {
          // Longer than the pinned file: not the model, whatever the rest holds.
          write_error = Error{ErrorCode::corruption,
                              "the server sent more than the model's " + std::to_string(request.size) + " bytes",
                              "the file was changed upstream or the mirror serves another file"};
          return false;
        }
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) write_error = Error{ErrorCode::io_error, "cannot write " + part.string(), "is the disk full?"};
        if (on_progress) on_progress({received, request.size});
        return !write_error.has_value();
      },
      stop);
  if (write_error) return fail(*write_error);
  if (!response)
    return fail(response.error().code == ErrorCode::cancelled ? response.error() : offline_error(response.error()));
  if (response->status == 416 && result.resumed_from > 0) return {};  // the part was already complete
  if (response->status >= 400) {
    return fail(ErrorCode::unavailable,
                "the server answered HTTP " + std::to_string(response->status) + " for " + request.url,
                "the catalog URL may have moved; try again later");
  }
  if (response->status == 200 && result.resumed_from > 0) result.resumed_from = 0;  // restarted from zero
  if (!out.is_open()) out.open(part, std::ios::binary | std::ios::app);  // an empty body still makes the file
  out.close();
  if (!out) return fail(ErrorCode::io_error, "cannot write " + part.string(), "is the disk full?");
  return {};
}

}  // namespace

Result<DownloadResult> download_model(const DownloadRequest& request,
                                      const std::function<void(const DownloadProgress&)>& on_progress,
                                      std::stop_token stop) {
  std::error_code ec;
  std::filesystem::create_directories(request.destination.parent_path(), ec);
  if (ec) return fail(ErrorCode::io_error, "cannot create " + request.destination.parent_path().string());
  const std::filesystem::path part = request.destination.string() + ".part";
  DownloadResult result;
  result.resumed_from = size_of(part);
  if (request.size > 0 && result.resumed_from > request.size) {
    std::filesystem::remove(part, ec);  // longer than the model: not a prefix of it
    result.resumed_from = 0;
  }
  if (auto fetched = fetch_part(request, part, result, on_progress, stop); !fetched) {
    if (fetched.error().code == ErrorCode::corruption) std::filesystem::remove(part, ec);
    return fail(fetched.error());
  }
  result.bytes = size_of(part);
  if (request.size > 0 && result.bytes != request.size) {
    std::filesystem::remove(part, ec);
    return fail(ErrorCode::corruption,
                "the download has " + std::to_string(result.bytes) + " bytes, expected " + std::to_string(request.size),
                "run the pull again");
  }
  auto digest = file_sha256(part);
  if (!digest) return fail(digest.error());
  result.sha256 = *digest;
  if (!request.sha256.empty() && result.sha256 != request.sha256) {
    std::filesystem::remove(part, ec);
    return fail(ErrorCode::corruption, "the download's sha256 is " + result.sha256 + ", expected " + request.sha256,
                "the file was damaged or changed upstream; run the pull again");
  }
  std::filesystem::rename(part, request.destination, ec);
  if (ec) return fail(ErrorCode::io_error, "cannot move the download to " + request.destination.string());
  result.path = request.destination;
  return result;
}

}  // namespace cmdai::llm
