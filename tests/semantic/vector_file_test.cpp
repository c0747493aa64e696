#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "semantic/embedding_cache.h"
#include "semantic/hybrid_search.h"
#include "semantic/ngram_embedder.h"
#include "semantic/reindex.h"
#include "semantic/support.h"
#include "semantic/vector_file.h"
#include "semantic/vector_store.h"

namespace cmdai::semantic {
namespace {

using testing::make_entry;
using testing::StoreFixture;

VectorIndex random_index(std::size_t rows, std::size_t dimensions) {
  std::mt19937 rng(9);
  std::normal_distribution<float> normal;
  VectorIndex index(dimensions);
  for (std::size_t i = 0; i < rows; ++i) {
    std::vector<float> v(dimensions);
    for (float& x : v) x = normal(rng);
    normalize_l2(v);
    EXPECT_TRUE(index.add(static_cast<std::int64_t>(i * 3 + 1), v));
  }
  return index;
}

void overwrite(const std::filesystem::path& path, std::size_t offset, const std::string& bytes) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(VectorFile, RoundTripsRowsAndHeader) {
  cmdai::testing::TempDir dir;
  const auto path = dir / "h.db.vectors";
  const auto index = random_index(300, 70);
  ASSERT_TRUE(write_vector_file(path, index, {"model-a", 42, index.last_id()}).has_value());
  auto mapped = map_vector_file(path, 70);
  ASSERT_TRUE(mapped.has_value()) << mapped.error().describe();
  ASSERT_TRUE(mapped->has_value());
  EXPECT_EQ((*mapped)->info.model_id, "model-a");
  EXPECT_EQ((*mapped)->info.generation, 42u);
  EXPECT_EQ((*mapped)->info.max_rowid, 898);
  EXPECT_EQ((*mapped)->index.base_size(), 300u);
  std::vector<float> query(70, 0.1F);
  const auto want = index.search(query, 20);
  const auto got = (*mapped)->index.search(query, 20);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, want[i].id);
    EXPECT_EQ(got[i].score, want[i].score);
  }
}

TEST(VectorFile, MissingFileIsNotAnError) {
  cmdai::testing::TempDir dir;
  auto mapped = map_vector_file(dir / "none.vectors", 8);
  ASSERT_TRUE(mapped.has_value());
  EXPECT_FALSE(mapped->has_value());
  EXPECT_TRUE(vector_file_path(":memory:").empty());
  EXPECT_EQ(vector_file_path("/x/history.db"), "/x/history.db.vectors");
}

TEST(VectorFile, DamagedFilesAreRefusedWithAClearError) {
  cmdai::testing::TempDir dir;
  const auto path = dir / "h.vectors";
  const auto index = random_index(50, 16);
  auto rewrite = [&] { ASSERT_TRUE(write_vector_file(path, index, {"m", 1, index.last_id()}).has_value()); };
  auto refused = [&](const char* what) {
    auto mapped = map_vector_file(path, 16);
    ASSERT_FALSE(mapped.has_value()) << what;
    EXPECT_EQ(mapped.error().code, ErrorCode::corruption) << what;
    EXPECT_NE(mapped.error().describe().find("rebuilt"), std::string::npos) << mapped.error().describe();
  };
  rewrite();
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 1);
  refused("truncated");
  rewrite();
  overwrite(path, 0, std::string("garbage!"));
  refused("bad magic");
  rewrite();
  overwrite(path, 256, std::string(16, '\xff'));  // the first ids: now out of order
  refused("ids out of order");
  rewrite();
  auto other_size = map_vector_file(path, 32);
  ASSERT_FALSE(other_size.has_value());
  EXPECT_EQ(other_size.error().code, ErrorCode::corruption);
  std::ofstream(path, std::ios::trunc) << std::string(3, '\0');
  refused("too short");
}

// The index file's life next to a real history database.
class IndexFile : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* command : {"df -h", "git log --oneline", "tar -xzf site.tar.gz", "journalctl -u nginx"}) {
      f.add(make_entry(command));
    }
    ASSERT_TRUE(reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{}).has_value());
  }
  Result<IndexLoad> open() { return open_vector_index(f.store.database(), embedder.model_id(), 384, f.env.now()); }
  Result<SearchOutcome> find(const std::string& text, std::optional<IndexSource>* source = nullptr) {
    SemanticSearch search(f.store, &embedder, &cache);
    CMDAI_TRY(search.load(f.env.now()));
    if (source != nullptr) *source = search.index_source();
    return search.search({text, 10, 0.0, {}}, SearchMode::semantic, {f.env.now(), ""});
  }
  std::filesystem::path file() const { return f.dir / "history.db.vectors"; }

  StoreFixture f;
  NgramEmbedder embedder;
  EmbeddingCache cache{f.store.database(), f.env};
};

TEST_F(IndexFile, FirstLoadWritesTheFileAndTheNextMapsIt) {
  auto first = open();
  ASSERT_TRUE(first.has_value()) << first.error().describe();
  EXPECT_EQ(first->source, IndexSource::rebuilt);
  EXPECT_EQ(first->index.size(), 4u);
  EXPECT_TRUE(first->notices.empty());
  EXPECT_TRUE(std::filesystem::exists(file()));
  auto second = open();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->source, IndexSource::mapped);
  EXPECT_EQ(second->index.base_size(), 4u);
  EXPECT_EQ(second->appended, 0);
}

TEST_F(IndexFile, NewEntriesAreAppendedWithoutARebuild) {
  ASSERT_TRUE(open().has_value());
  const auto added = make_entry("docker compose up -d");
  f.add(added);
  ASSERT_TRUE(embed_pending(f.store, embedder, cache, f.env).has_value());
  std::optional<IndexSource> source;
  auto outcome = find("docker compose up", &source);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
  EXPECT_EQ(source, IndexSource::mapped);
  ASSERT_FALSE(outcome->results.empty());
  EXPECT_EQ(outcome->results[0].entry.id, added.id);
  EXPECT_NE(outcome->results[0].explanation.find("meaning (vector"), std::string::npos);
}

TEST_F(IndexFile, VectorsWrittenBelowTheFileRebuildIt) {
  ASSERT_TRUE(open().has_value());
  // An old entry loses its vector and gets it back (as reindex does for
  // entries it had skipped): the file no longer says what SQLite says.
  ASSERT_TRUE(f.store.database().exec("UPDATE command_history SET embedding_vector = NULL WHERE rowid = 2"));
  ASSERT_TRUE(reindex(f.store, embedder, cache, f.env, {}, {}, std::stop_token{}).has_value());
  auto load = open();
  ASSERT_TRUE(load.has_value());
  EXPECT_EQ(load->source, IndexSource::rebuilt);
  EXPECT_EQ(load->index.size(), 4u);
}

TEST_F(IndexFile, DeletedEntriesAreNeverReturned) {
  ASSERT_TRUE(open().has_value());
  auto before = find("tar xzf site");
  ASSERT_TRUE(before.has_value());
  ASSERT_FALSE(before->results.empty());
  ASSERT_EQ(before->results[0].entry.command, "tar -xzf site.tar.gz");
  ASSERT_TRUE(f.store.remove(before->results[0].entry.id).has_value());
  std::optional<IndexSource> source;
  auto after = find("tar xzf site", &source);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(source, IndexSource::mapped) << "a delete does not force a rebuild";
  for (const auto& r : after->results) EXPECT_NE(r.entry.command, "tar -xzf site.tar.gz");
}

TEST_F(IndexFile, AnotherModelOrADamagedFileIsRebuilt) {
  ASSERT_TRUE(open().has_value());
  overwrite(file(), 264, std::string(8, '\x7f'));  // the second id: now above the third
  auto damaged = open();
  ASSERT_TRUE(damaged.has_value());
  EXPECT_EQ(damaged->source, IndexSource::rebuilt);
  ASSERT_FALSE(damaged->notices.empty());
  EXPECT_NE(damaged->notices[0].find("damaged"), std::string::npos) << damaged->notices[0];
  EXPECT_EQ(open()->source, IndexSource::mapped) << "the rebuilt file is good again";
  auto other = open_vector_index(f.store.database(), "another-model", 384, f.env.now());
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->source, IndexSource::rebuilt);
}

TEST_F(IndexFile, AFreshDatabaseNeverTrustsAnOldFile) {
  ASSERT_TRUE(open().has_value());
  // The same path, a new database (as after moving a damaged one aside):
  // no generation row, so the old file is not used.
  ASSERT_TRUE(f.store.database().exec("DELETE FROM configuration WHERE key = 'semantic.index_generation'"));
  auto load = open();
  ASSERT_TRUE(load.has_value());
  EXPECT_EQ(load->source, IndexSource::rebuilt);
}

}  // namespace
}  // namespace cmdai::semantic
