// The history's vectors and the model that made them (history/embeddings.h):
// lengths are checked against the model's real dimension, never a fixed one.

#include "history/embeddings.h"

#include <gtest/gtest.h>

#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

struct Fixture {
  testing::TempDir dir;
  HistoryStore store = *HistoryStore::open(dir / "h.db", quiet_options());
  store::Database& db() { return store.database(); }
  Timestamp now = from_unix_seconds(1'700'000'000);

  std::int64_t add(const std::string& command) {
    auto stored = store.insert(make_entry(command));
    EXPECT_TRUE(stored) << stored.error().describe();
    return *db().query_int("SELECT max(rowid) FROM command_history");
  }
};

TEST(HistoryEmbeddings, RecordsTheModelWithItsDimension) {
  Fixture f;
  EXPECT_FALSE(recorded_embedding_model(f.db()).value().has_value());
  ASSERT_TRUE(record_embedding_model(f.db(), {"bge-small", 384}, f.now));
  EXPECT_EQ(recorded_embedding_model(f.db()).value(), (EmbeddingModel{"bge-small", 384}));
  ASSERT_TRUE(record_embedding_model(f.db(), {"nomic-embed-text", 768}, f.now));
  EXPECT_EQ(recorded_embedding_model(f.db()).value(), (EmbeddingModel{"nomic-embed-text", 768}));
  ASSERT_TRUE(forget_embedding_model(f.db()));
  EXPECT_FALSE(recorded_embedding_model(f.db()).value().has_value());
}

TEST(HistoryEmbeddings, AVectorOfTheWrongLengthIsRejectedAndNothingIsWritten) {
  Fixture f;
  const auto first = f.add("ls");
  const auto second = f.add("pwd");
  const std::vector<float> right(768, 0.5f);
  const std::vector<float> wrong(384, 0.5f);
  const std::vector<EmbeddingWrite> writes{{first, right}, {second, wrong}};
  auto written = write_embeddings(f.db(), writes, 768);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(written.error().message.find("384 values"), std::string::npos) << written.error().message;
  EXPECT_NE(written.error().message.find("768 dimensions"), std::string::npos) << written.error().message;
  EXPECT_EQ(count_without_embedding(f.db(), 768).value(), 2) << "nothing was written";

  const std::vector<EmbeddingWrite> fitting{{first, right}};
  ASSERT_TRUE(write_embeddings(f.db(), fitting, 768));
  EXPECT_EQ(count_without_embedding(f.db(), 768).value(), 1);
  EXPECT_EQ(count_without_embedding(f.db(), 384).value(), 2) << "a 768-value vector is not a 384-dimension one";
}

TEST(HistoryEmbeddings, PendingEntriesScanAndClear) {
  Fixture f;
  const auto a = f.add("git status");
  const auto b = f.add("git log");
  const auto c = f.add("git diff");
  auto oldest = entries_without_embedding(f.db(), 4, 0, 2, EmbeddingOrder::oldest_first).value();
  ASSERT_EQ(oldest.size(), 2u);
  EXPECT_EQ(oldest[0].rowid, a);
  EXPECT_EQ(oldest[0].command, "git status");
  EXPECT_EQ(oldest[0].explanation, "explains git status");
  auto newest = entries_without_embedding(f.db(), 4, INT64_MAX, 1, EmbeddingOrder::newest_first).value();
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].rowid, c);

  const std::vector<float> four{1, 0, 0, 0};
  const std::vector<float> three{1, 0, 0};
  ASSERT_TRUE(write_embeddings(f.db(), std::vector<EmbeddingWrite>{{a, four}, {c, four}}, 4));
  ASSERT_TRUE(write_embeddings(f.db(), std::vector<EmbeddingWrite>{{b, three}}, 3));
  std::vector<std::int64_t> seen;
  auto skipped = scan_embeddings(f.db(), 0, 4, [&](std::int64_t rowid, std::span<const float> vector) {
    EXPECT_EQ(vector.size(), 4u);
    seen.push_back(rowid);
  });
  EXPECT_EQ(skipped.value(), 1) << "the 3-value vector";
  EXPECT_EQ(seen, (std::vector<std::int64_t>{a, c}));
  seen.clear();
  ASSERT_TRUE(
      scan_embeddings(f.db(), a, 4, [&](std::int64_t rowid, std::span<const float>) { seen.push_back(rowid); }));
  EXPECT_EQ(seen, (std::vector<std::int64_t>{c}));
  ASSERT_TRUE(clear_embeddings(f.db()));
  EXPECT_EQ(count_without_embedding(f.db(), 4).value(), 3);
}

TEST(HistoryEmbeddings, AnEntrysOwnVectorMustFitTheRecordedModel) {
  Fixture f;
  auto entry = make_entry("docker ps");
  entry.embedding_vector = std::vector<float>(768, 0.1f);
  auto unknown = f.store.insert(entry);
  ASSERT_FALSE(unknown) << "no model recorded: the length cannot be checked";
  EXPECT_NE(unknown.error().message.find("no embedding model"), std::string::npos) << unknown.error().message;

  ASSERT_TRUE(record_embedding_model(f.db(), {"nomic-embed-text", 768}, f.now));
  auto short_one = make_entry("docker images");
  short_one.embedding_vector = std::vector<float>(384, 0.1f);
  auto refused = f.store.insert(short_one);
  ASSERT_FALSE(refused) << "384 is not this model's dimension";
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(refused.error().message.find("768 dimensions"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("nomic-embed-text"), std::string::npos) << refused.error().message;

  auto stored = f.store.insert(entry);
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_EQ(f.store.get(entry.id).value()->embedding_vector->size(), 768u);
}

TEST(HistoryEmbeddings, SettingsAreKeptByName) {
  Fixture f;
  EXPECT_FALSE(read_setting(f.db(), "semantic.index_generation").value().has_value());
  ASSERT_TRUE(write_setting(f.db(), "semantic.index_generation", "42", f.now));
  ASSERT_TRUE(write_setting(f.db(), "semantic.index_generation", "43", f.now));
  EXPECT_EQ(read_setting(f.db(), "semantic.index_generation").value(), "43");
}

}  // namespace
}  // namespace cmdai::history
