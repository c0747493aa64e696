// New history entries get their vectors at write time, on a thread of
// their own, without a search having to run first.

#include "semantic/pending_embedding.h"

#include <gtest/gtest.h>

#include "pipeline/command_pipeline.h"
#include "semantic/embedder_factory.h"
#include "semantic/embedding_cache.h"
#include "semantic/ngram_embedder.h"
#include "semantic/support.h"

namespace cmdai::semantic {
namespace {

using testing::make_entry;

class PendingEmbeddingTest : public ::testing::Test {
 protected:
  PendingEmbeddingTest() {
    m_paths = Paths{m_dir / "config.toml", m_dir / "history.db", m_dir / "models", m_dir / "cmdai.log"};
    m_env.set_var(std::string(k_embedding_model_var), "builtin:ngram-test");
  }
  history::HistoryStore store() { return *history::HistoryStore::open(m_paths.history_db); }
  void index_history() {
    auto s = store();
    ASSERT_TRUE(s.insert(make_entry("df -h")).has_value());
    NgramEmbedder embedder;
    EmbeddingCache cache(s.database(), m_env);
    ASSERT_TRUE(reindex(s, embedder, cache, m_env, {}, {}, std::stop_token{}).has_value());
  }
  bool has_vector(const std::string& command) {
    auto s = store();
    auto statement = s.database().prepare(
        "SELECT length(embedding_vector) FROM command_history WHERE command = ?1 AND embedding_vector IS NOT NULL");
    statement->bind(1, command);
    return *statement->step() && statement->column_int(0) == 384 * 4;
  }

  cmdai::testing::TempDir m_dir;
  cmdai::testing::FakeEnv m_env;
  Paths m_paths;
};

TEST_F(PendingEmbeddingTest, EmbedsTheNewEntryOfAnIndexedHistory) {
  index_history();
  ASSERT_TRUE(store().insert(make_entry("docker compose up -d")).has_value());
  PendingEmbedding pending(m_env, m_paths);
  const auto& outcome = pending.wait();
  ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
  EXPECT_EQ(outcome->embedded, 1);
  EXPECT_TRUE(has_vector("docker compose up -d"));
}

TEST_F(PendingEmbeddingTest, LeavesAHistoryThatWasNeverIndexedToReindex) {
  ASSERT_TRUE(store().insert(make_entry("docker compose up -d")).has_value());
  PendingEmbedding pending(m_env, m_paths);
  ASSERT_TRUE(pending.wait().has_value());
  EXPECT_EQ(pending.wait()->embedded, 0);
  EXPECT_FALSE(has_vector("docker compose up -d"));
}

TEST_F(PendingEmbeddingTest, WithoutAnEmbedderNothingHappens) {
  index_history();
  m_env.set_var(std::string(k_embedding_model_var), "none");
  ASSERT_TRUE(store().insert(make_entry("docker compose up -d")).has_value());
  PendingEmbedding pending(m_env, m_paths);
  ASSERT_TRUE(pending.wait().has_value());
  EXPECT_EQ(pending.wait()->embedded, 0);
}

TEST_F(PendingEmbeddingTest, AModelThatCannotBeLoadedIsAnErrorNotACrash) {
  index_history();
  m_env.set_var(std::string(k_embedding_model_var), (m_dir / "missing.gguf").string());
  PendingEmbedding pending(m_env, m_paths);
  EXPECT_FALSE(pending.wait().has_value());
}

TEST_F(PendingEmbeddingTest, TheEntryAGeneratedCommandWritesGetsItsVector) {
  index_history();
  std::optional<std::string> id;
  {
    pipeline::CommandPipeline pipeline(m_env, m_paths, config::ConfigurationState{});
    pipeline::PipelineOptions options;
    options.backend = "rules";
    options.working_directory = m_dir.path().string();
    options.refresh_stale_health = false;
    auto result = pipeline.run("list files", options, [](const generation::StreamEvent&) {}, {});
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    ASSERT_TRUE(result->history_id.has_value());
    id = result->history_id;
  }  // the pipeline joins its embedding thread here
  auto s = store();
  auto entry = s.get(*id);
  ASSERT_TRUE(entry.has_value() && entry->has_value());
  EXPECT_TRUE(has_vector((*entry)->command)) << (*entry)->command;
}

}  // namespace
}  // namespace cmdai::semantic
