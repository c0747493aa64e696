// Search by meaning on a real server with pgvector: the entries' vectors
// pushed after the entries (only theirs, once), the model's HNSW index,
// nearest neighbours under the local filters, and the hybrid fusion of
// words and meaning.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "history/embeddings.h"
#include "team/forget.h"
#include "team/push_vectors.h"
#include "team/server_search.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using test::make_entry;
using test::push_options;
using test::quiet_options;

const history::EmbeddingModel k_model{"test-embedder", 3};

class TeamVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = history::HistoryStore::open(m_dir / "history.db", quiet_options());
    ASSERT_TRUE(store);
    m_store.emplace(std::move(*store));
    ASSERT_TRUE(m_store->insert(make_entry("systemctl restart billing", "/srv/billing", 1'800'000'000)));
    ASSERT_TRUE(m_store->insert(make_entry("du -sh /var/log", "/var/log", 1'800'000'000)));
    ASSERT_TRUE(m_store->insert(make_entry("tar czf backup.tgz /var/lib/billing", "/root", 1'700'000'000)));
    auto secret = make_entry("ssh bastion-private", "/root", 1'800'000'000);
    secret.tags = {"private"};
    ASSERT_TRUE(m_store->insert(secret));
    ASSERT_TRUE(history::record_embedding_model(m_store->database(), k_model, from_unix_seconds(1'800'000'000)));
    m_team = test::fresh_team();
  }

  // Gives the entries with these commands their vectors.
  void embed(const std::map<std::string, std::vector<float>>& vectors) {
    auto pending = history::entries_without_embedding(m_store->database(), k_model.dimensions, 0, 100,
                                                      history::EmbeddingOrder::oldest_first);
    ASSERT_TRUE(pending);
    std::vector<history::EmbeddingWrite> writes;
    for (const auto& source : *pending) {
      if (auto it = vectors.find(source.command); it != vectors.end()) writes.push_back({source.rowid, it->second});
    }
    ASSERT_EQ(writes.size(), vectors.size());
    ASSERT_TRUE(history::write_embeddings(m_store->database(), writes, k_model.dimensions));
  }

  void embed_all() {
    embed({{"systemctl restart billing", {1, 0, 0}},
           {"du -sh /var/log", {0, 1, 0}},
           {"tar czf backup.tgz /var/lib/billing", {0.2F, 0, 1}},
           {"ssh bastion-private", {1, 0.1F, 0}}});
  }

  PushReport push_entries() {
    auto report = push(*m_store, m_team->connection, m_team->key, push_options("alice"));
    EXPECT_TRUE(report) << (report ? "" : report.error().describe());
    return report ? *report : PushReport{};
  }

  VectorPushReport push_entry_vectors() {
    auto report = push_vectors(*m_store, m_team->connection, m_team->key, k_model, from_unix_seconds(1'800'000'500));
    EXPECT_TRUE(report) << (report ? "" : report.error().describe());
    return report ? *report : VectorPushReport{};
  }

  std::int64_t server_vectors() {
    auto rows = m_team->connection.query("SELECT count(*) FROM cmdai_embeddings");
    if (!rows) throw std::runtime_error(rows.error().describe());
    return rows->integer(0, 0);
  }

  std::optional<std::vector<TeamSearchResult>> by_meaning(const std::string& text, std::vector<float> vector,
                                                          bool with_words, history::SearchFilters filters = {},
                                                          history::EmbeddingModel model = k_model) {
    history::SearchQuery query(text, 10, 0.0, std::move(filters));
    query.now = from_unix_seconds(1'800'000'100);
    query.current_directory = "/srv/billing";
    auto found =
        search_team_by_meaning(m_team->connection, m_team->schema, query, {model, std::move(vector)}, with_words);
    if (!found) ADD_FAILURE() << found.error().describe();
    return found ? *found : std::nullopt;
  }

  static std::vector<std::string> commands(const std::vector<TeamSearchResult>& results) {
    std::vector<std::string> out;
    for (const auto& r : results) out.push_back(r.result.entry.command);
    return out;
  }

  testing::TempDir m_dir;
  std::optional<history::HistoryStore> m_store;
  std::optional<TeamServer> m_team;
};

TEST_F(TeamVectors, TheServerWithPgvectorTakesVectors) {
  EXPECT_TRUE(m_team->schema.vectors);
  EXPECT_EQ(m_team->schema.applied.back(), 5);
}

TEST_F(TeamVectors, OnlyThePushedEntriesVectorsGoOnceEach) {
  embed_all();
  // Before the entries are on the server, no vector goes.
  EXPECT_EQ(push_entry_vectors().sent, 0);
  EXPECT_EQ(push_entries().kept_back, 1);
  const auto first = push_entry_vectors();
  EXPECT_EQ(first.sent, 3);
  EXPECT_EQ(first.new_on_server, 3);
  EXPECT_EQ(server_vectors(), 3);
  // The private entry's vector stays here, and a second push sends nothing.
  auto private_vector = m_team->connection.query(
      "SELECT count(*) FROM cmdai_embeddings e JOIN command_history h USING (id) WHERE h.command LIKE 'ssh%'");
  ASSERT_TRUE(private_vector);
  EXPECT_EQ(private_vector->integer(0, 0), 0);
  EXPECT_EQ(push_entry_vectors().sent, 0);
  EXPECT_EQ(server_vectors(), 3);
}

TEST_F(TeamVectors, AVectorMadeAfterItsEntryWasPushedGoesWithTheNextPush) {
  embed({{"systemctl restart billing", {1, 0, 0}}});
  push_entries();
  EXPECT_EQ(push_entry_vectors().sent, 1);
  embed({{"du -sh /var/log", {0, 1, 0}}});
  EXPECT_EQ(push_entry_vectors().sent, 1);
  EXPECT_EQ(server_vectors(), 2);
}

TEST_F(TeamVectors, BatchesTakeTurnsOverSeveralConnections) {
  embed_all();
  push_entries();
  auto second =
      Connection::open(testing::pg_server().url(m_team->connection.query("SELECT current_database()")->text(0, 0)));
  ASSERT_TRUE(second) << second.error().describe();
  auto report = push_vectors(*m_store, std::vector<Connection*>{&m_team->connection, &*second}, m_team->key, k_model,
                             from_unix_seconds(1'800'000'500), 1);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->sent, 3);
  EXPECT_EQ(report->new_on_server, 3);
  EXPECT_EQ(server_vectors(), 3);
  EXPECT_EQ(push_entry_vectors().sent, 0);
}

TEST_F(TeamVectors, AFailedBatchStaysQueuedAndTheNextPushSendsIt) {
  embed_all();
  push_entries();
  ASSERT_TRUE(m_team->connection.exec(R"sql(
    CREATE FUNCTION refuse_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF (SELECT command FROM command_history WHERE id = NEW.id) LIKE 'du %' THEN RAISE EXCEPTION 'disk full';
    END IF; RETURN NEW; END $$;
    CREATE TRIGGER refuse_vector BEFORE INSERT ON cmdai_embeddings FOR EACH ROW EXECUTE FUNCTION refuse_vector();)sql"));
  auto failed = push_vectors(*m_store, m_team->connection, m_team->key, k_model, from_unix_seconds(1'800'000'500), 1);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("disk full"), std::string::npos) << failed.error().message;
  EXPECT_NE(failed.error().message.find("the rest stay queued"), std::string::npos) << failed.error().message;
  const auto before = server_vectors();
  EXPECT_LT(before, 3);
  ASSERT_TRUE(m_team->connection.exec("DROP TRIGGER refuse_vector ON cmdai_embeddings"));
  EXPECT_EQ(push_entry_vectors().sent, 3 - before);
  EXPECT_EQ(server_vectors(), 3);
}

TEST_F(TeamVectors, TheModelIsRegisteredOnceWithItsOwnIndex) {
  embed_all();
  push_entries();
  push_entry_vectors();
  auto models = m_team->connection.query("SELECT model, dimensions, number FROM cmdai_embedding_models");
  ASSERT_TRUE(models);
  ASSERT_EQ(models->size(), 1);
  EXPECT_EQ(models->text(0, 0), "test-embedder");
  EXPECT_EQ(models->integer(0, 1), 3);
  auto index = m_team->connection.query("SELECT indexdef FROM pg_indexes WHERE indexname = $1",
                                        {"cmdai_embeddings_model_" + std::to_string(models->integer(0, 2))});
  ASSERT_TRUE(index);
  ASSERT_EQ(index->size(), 1);
  EXPECT_NE(index->text(0, 0).find("hnsw"), std::string::npos);
  EXPECT_NE(index->text(0, 0).find("vector_cosine_ops"), std::string::npos);
  auto number = server_model_number(m_team->connection, k_model);
  ASSERT_TRUE(number);
  ASSERT_TRUE(*number);
  EXPECT_EQ(**number, models->integer(0, 2));
}

TEST_F(TeamVectors, AVectorPgvectorWouldRefuseIsNotSent) {
  embed(
      {{"systemctl restart billing", {std::numeric_limits<float>::quiet_NaN(), 0, 0}}, {"du -sh /var/log", {0, 1, 0}}});
  push_entries();
  const auto report = push_entry_vectors();
  EXPECT_EQ(report.not_finite, 1);
  EXPECT_EQ(report.new_on_server, 1);
  EXPECT_EQ(server_vectors(), 1);
}

TEST_F(TeamVectors, SearchByMeaningFindsTheNearestVectorsUnderTheFilters) {
  embed_all();
  push_entries();
  push_entry_vectors();
  auto found = by_meaning("bounce the invoicing service", {0.9F, 0.1F, 0}, false);
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().result.entry.command, "systemctl restart billing");
  EXPECT_EQ(found->front().user, "alice");
  EXPECT_NE(found->front().result.explanation.find("meaning (vector 0.99, #1)"), std::string::npos);
  EXPECT_LE(found->front().result.similarity_score, 1.0);
  // The private entry is nearer still here, but it never left its machine.
  for (const auto& command : commands(*found)) EXPECT_NE(command, "ssh bastion-private");

  history::SearchFilters logs;
  logs.cwd = "/var/log";
  auto filtered = by_meaning("bounce the invoicing service", {0.9F, 0.1F, 0}, false, logs);
  ASSERT_TRUE(filtered);
  EXPECT_EQ(commands(*filtered), std::vector<std::string>{"du -sh /var/log"});
}

TEST_F(TeamVectors, HybridFusesWordsAndMeaningAsTheLocalSearchDoes) {
  embed_all();
  push_entries();
  push_entry_vectors();
  // "billing" names two entries; the vector points at the archive.
  auto found = by_meaning("billing", {0, 0, 1}, true);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ(found->front().result.entry.command, "tar czf backup.tgz /var/lib/billing");
  EXPECT_NE(found->front().result.explanation.find("words (#"), std::string::npos);
  EXPECT_NE(found->front().result.explanation.find("meaning (vector"), std::string::npos);
  EXPECT_NE(found->front().result.matching_context.find("[billing]"), std::string::npos);
  // Words alone would rank the newer entry in this directory first.
  history::SearchQuery words("billing", 10, 0.0);
  words.now = from_unix_seconds(1'800'000'100);
  words.current_directory = "/srv/billing";
  auto lexical = search_team(m_team->connection, m_team->schema, words);
  ASSERT_TRUE(lexical);
  ASSERT_FALSE(lexical->empty());
  EXPECT_EQ(lexical->front().result.entry.command, "systemctl restart billing");
  // Words that match nothing still find by meaning.
  auto meaning_only = by_meaning("disk usage of the logs", {0, 1, 0}, true);
  ASSERT_TRUE(meaning_only);
  ASSERT_FALSE(meaning_only->empty());
  EXPECT_EQ(meaning_only->front().result.entry.command, "du -sh /var/log");
  // An entry first by both signals, in the same directory, scores at most 1.
  auto both = by_meaning("restart billing", {1, 0, 0}, true);
  ASSERT_TRUE(both);
  ASSERT_FALSE(both->empty());
  EXPECT_EQ(both->front().result.entry.command, "systemctl restart billing");
  EXPECT_GT(both->front().result.similarity_score, 0.9);
  EXPECT_LE(both->front().result.similarity_score, 1.0);
}

TEST_F(TeamVectors, AnotherModelsQueryFallsBackToWords) {
  embed_all();
  push_entries();
  push_entry_vectors();
  EXPECT_FALSE(by_meaning("billing", {0, 0, 1, 0}, true, {}, {"other-embedder", 4}));
  EXPECT_FALSE(by_meaning("billing", {0, 0, 1, 0}, true, {}, {"test-embedder", 4}));
}

TEST_F(TeamVectors, ForgettingAnEntryTakesItsVectorToo) {
  embed_all();
  push_entries();
  push_entry_vectors();
  auto id = m_team->connection.query("SELECT id::text FROM command_history WHERE command LIKE 'du %'");
  ASSERT_TRUE(id);
  ASSERT_TRUE(forget(m_team->connection, id->text(0, 0), {"alice", "laptop"}));
  EXPECT_EQ(server_vectors(), 2);
}

TEST_F(TeamVectors, VectorLiteralsAreWhatPgvectorReads) {
  EXPECT_EQ(vector_literal(std::vector<float>{0.5F, -1, 3}), "[0.5,-1,3]");
  auto parsed = m_team->connection.query("SELECT $1::vector(3)::text", {vector_literal(std::vector<float>{0.1F, 2})});
  EXPECT_FALSE(parsed);  // two values are not a vector(3)
  // Every float comes back as it was (the server prints the shortest form).
  auto exact = m_team->connection.query("SELECT $1::vector(3)::text",
                                        {vector_literal(std::vector<float>{0.1F, -2.5e-7F, 3e8F})});
  ASSERT_TRUE(exact) << exact.error().describe();
  EXPECT_EQ(exact->text(0, 0), "[0.1,-2.5e-07,3e+08]");
}

}  // namespace
}  // namespace cmdai::team
