// Model downloads against a loopback server serving a small file with Range
// support: fresh download, resume, a server ignoring Range, sha256 and size
// mismatches, cancellation keeping the part, and an unreachable host.
#include <gtest/gtest.h>

#include <fstream>

#include "llm/model_store.h"
#include "llm/sha256.h"
#include "support/temp_dir.h"
#include "tools/loopback_server.h"

namespace cmdai::llm {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

std::string file_body() {
  std::string body;
  for (int i = 0; i < 300'000; ++i) body += static_cast<char>('a' + (i * 7) % 26);
  return body;
}

std::string sha(std::string_view s) {
  Sha256 h;
  h.update(s);
  return h.hex_digest();
}

// Serves file_body(), honouring "Range: bytes=N-" unless told not to.
LoopbackServer::Handler file_server(bool honour_range = true) {
  return [honour_range](const RecordedRequest& r) {
    const std::string body = file_body();
    ScriptedResponse out;
    out.content_type = "application/octet-stream";
    out.chunked = false;
    auto range = r.headers.find("range");
    std::size_t from = 0;
    if (honour_range && range != r.headers.end()) {
      from = std::stoul(range->second.substr(6));
      if (from >= body.size()) {
        out.status = 416;
        return out;
      }
      out.status = 206;
      out.extra_headers.push_back("Content-Range: bytes " + std::to_string(from) + "-" +
                                  std::to_string(body.size() - 1) + "/" + std::to_string(body.size()));
    }
    for (std::size_t i = from; i < body.size(); i += 65536) out.chunks.push_back(body.substr(i, 65536));
    return out;
  };
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

DownloadRequest request_for(const LoopbackServer& server, const testing::TempDir& dir) {
  DownloadRequest r;
  r.url = server.url() + "/tiny.gguf";
  r.destination = dir / "models" / "tiny.gguf";
  r.sha256 = sha(file_body());
  r.size = file_body().size();
  return r;
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha(std::string(1'000'000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(ModelStore, DownloadsVerifiesAndRenames) {
  LoopbackServer server(file_server());
  testing::TempDir dir;
  std::vector<DownloadProgress> progress;
  auto result = download_model(request_for(server, dir), [&](const DownloadProgress& p) { progress.push_back(p); }, {});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(read_file(result->path), file_body());
  EXPECT_EQ(result->sha256, sha(file_body()));
  EXPECT_FALSE(std::filesystem::exists(dir / "models" / "tiny.gguf.part"));
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().received, file_body().size());
  EXPECT_EQ(progress.back().total, file_body().size());
}

TEST(ModelStore, ResumesAPartialDownload) {
  LoopbackServer server(file_server());
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "models");
  std::ofstream(dir / "models" / "tiny.gguf.part", std::ios::binary) << file_body().substr(0, 100'000);
  auto result = download_model(request_for(server, dir), {}, {});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->resumed_from, 100'000U);
  EXPECT_EQ(server.requests().at(0).headers.at("range"), "bytes=100000-");
  EXPECT_EQ(read_file(result->path), file_body());
}

TEST(ModelStore, ServerIgnoringRangeStartsOver) {
  LoopbackServer server(file_server(/*honour_range=*/false));
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "models");
  std::ofstream(dir / "models" / "tiny.gguf.part", std::ios::binary) << "garbage prefix";
  auto result = download_model(request_for(server, dir), {}, {});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->resumed_from, 0U);
  EXPECT_EQ(read_file(result->path), file_body());
}

TEST(ModelStore, CompletePartIsNotFetchedAgain) {
  LoopbackServer server(file_server());
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "models");
  std::ofstream(dir / "models" / "tiny.gguf.part", std::ios::binary) << file_body();
  auto result = download_model(request_for(server, dir), {}, {});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(read_file(result->path), file_body());
}

TEST(ModelStore, Sha256MismatchRemovesThePartAndKeepsNoModel) {
  LoopbackServer server(file_server());
  testing::TempDir dir;
  auto request = request_for(server, dir);
  request.sha256 = std::string(64, '0');
  auto result = download_model(request, {}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::corruption);
  EXPECT_FALSE(std::filesystem::exists(request.destination));
  EXPECT_FALSE(std::filesystem::exists(request.destination.string() + ".part"));
}

TEST(ModelStore, SizeMismatchIsCorruption) {
  LoopbackServer server(file_server());
  testing::TempDir dir;
  auto request = request_for(server, dir);
  request.size += 1;
  auto result = download_model(request, {}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::corruption);
}

TEST(ModelStore, CancelKeepsThePartForAResume) {
  LoopbackServer server(file_server());
  testing::TempDir dir;
  std::stop_source stop;
  auto request = request_for(server, dir);
  auto result = download_model(
      request,
      [&](const DownloadProgress& p) {
        if (p.received >= 65536) stop.request_stop();
      },
      stop.get_token());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::cancelled);
  EXPECT_FALSE(std::filesystem::exists(request.destination));
  EXPECT_GE(std::filesystem::file_size(request.destination.string() + ".part"), 65536U);
  auto resumed = download_model(request, {}, {});
  ASSERT_TRUE(resumed) << resumed.error().describe();
  EXPECT_GT(resumed->resumed_from, 0U);
  EXPECT_EQ(read_file(resumed->path), file_body());
}

TEST(ModelStore, HttpErrorIsUnavailable) {
  LoopbackServer server([](const RecordedRequest&) {
    ScriptedResponse r;
    r.status = 404;
    r.chunks = {"Not Found"};
    return r;
  });
  testing::TempDir dir;
  auto result = download_model(request_for(server, dir), {}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::unavailable);
  EXPECT_FALSE(std::filesystem::exists(dir / "models" / "tiny.gguf.part"));
}

TEST(ModelStore, UnreachableHostFailsWithAClearMessage) {
  testing::TempDir dir;
  DownloadRequest request;
  request.url = "http://cmdai-model-host.invalid/x.gguf";  // .invalid never resolves (RFC 6761)
  request.destination = dir / "x.gguf";
  auto result = download_model(request, {}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::unavailable);
  EXPECT_NE(result.error().hint.find("--model PATH.gguf"), std::string::npos);
}

// Every entry names one revision and pins the file's size and sha256.
TEST(ModelCatalog, EveryEntryIsPinned) {
  for (const auto& e : model_catalog()) {
    EXPECT_GT(e.size, 0U) << e.name;
    ASSERT_EQ(e.sha256.size(), 64U) << e.name;
    EXPECT_EQ(e.sha256.find_first_not_of("0123456789abcdef"), std::string_view::npos) << e.name;
    const auto at = e.url.find("/resolve/");
    ASSERT_NE(at, std::string_view::npos) << e.name;
    const auto revision = e.url.substr(at + 9, 40);
    EXPECT_EQ(revision.find_first_not_of("0123456789abcdef"), std::string_view::npos) << e.name;
    EXPECT_EQ(e.url.substr(at + 9 + 40), "/" + std::string(e.file)) << e.name;
  }
}

TEST(ModelStore, OversizedDownloadStopsEarlyAndKeepsNoPart) {
  LoopbackServer server(file_server());
  testing::TempDir dir;
  auto request = request_for(server, dir);
  request.size = 100'000;
  std::uint64_t seen = 0;
  auto result = download_model(request, [&](const DownloadProgress& p) { seen = p.received; }, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::corruption);
  EXPECT_LE(seen, request.size);
  EXPECT_FALSE(std::filesystem::exists(request.destination.string() + ".part"));
}

TEST(ModelCatalog, HasChatModelsAndA384DimEmbeddingModel) {
  bool chat = false, embedding = false;
  for (const auto& e : model_catalog()) {
    chat |= e.kind == ModelKind::chat;
    embedding |= e.kind == ModelKind::embedding;
    EXPECT_TRUE(e.url.starts_with("https://")) << e.name;
    EXPECT_TRUE(e.file.ends_with(".gguf")) << e.name;
  }
  EXPECT_TRUE(chat);
  EXPECT_TRUE(embedding);
  ASSERT_TRUE(find_catalog_entry("bge-small-en"));
  auto typo = find_catalog_entry("qwen2.5-coder-1.5");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().hint.find("qwen2.5-coder-1.5b"), std::string::npos);
}

}  // namespace
}  // namespace cmdai::llm
