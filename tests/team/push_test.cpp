// cmdai team push against a real PostgreSQL server: batches, idempotence,
// resuming after a failure, and two machines pushing at once.

#include <gtest/gtest.h>

#include <thread>

#include "history/push_marks.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using test::fresh_team;
using test::make_entry;
using test::push_options;
using test::quiet_options;
using test::refuse_a_command;
using test::server_rows;

void fill(history::HistoryStore& store, int count, const std::string& prefix) {
  for (int i = 0; i < count; ++i) ASSERT_TRUE(store.insert(make_entry(prefix + " " + std::to_string(i))));
}

TEST(TeamPush, UploadsEveryEntryOnceInBatches) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  fill(*store, 25, "make target");
  auto team = fresh_team();
  auto first = push(*store, team.connection, team.key, push_options("alice", 10));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->sent, 25);
  EXPECT_EQ(first->new_on_server, 25);
  EXPECT_EQ(server_rows(team.connection, "user_name = 'alice' AND hostname = 'laptop'"), 25);
  auto again = push(*store, team.connection, team.key, push_options("alice", 10));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sent, 0);
  EXPECT_EQ(pending_count(*store, team.key, {}).value(), 0);
  auto summary = history::push_summary(*store, team.key);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->pushed_total, 25);
  EXPECT_TRUE(summary->last_push.has_value());
}

TEST(TeamPush, KeepsEveryFieldOfAnEntry) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  auto entry = make_entry("printf 'a\\tb\\n' | tr -d '\\\\'  # tab\there", "/home/al ice/pro%ject_1");
  entry.user_input = "print a tab\nand a newline";
  entry.tags = {"ops", "with \"quotes\""};
  entry.execution_metadata = ExecutionMetadata{2, std::nullopt, 10, "rules", Micros{5}, Micros{6}};
  entry.safety_metadata = SafetyMetadata{RiskLevel::moderate, {"pipe"}, true, 0.5};
  ASSERT_TRUE(store->insert(entry));
  auto team = fresh_team();
  ASSERT_TRUE(push(*store, team.connection, team.key, push_options()));
  auto rows = team.connection.query(
      "SELECT command, user_input, working_directory, tags::text, exit_code, risk_level, backend_used, "
      "extract(epoch FROM \"timestamp\")::bigint FROM command_history WHERE id = $1::uuid",
      {entry.id});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->text(0, 0), entry.command);
  EXPECT_EQ(rows->text(0, 1), *entry.user_input);
  EXPECT_EQ(rows->text(0, 2), entry.working_directory);
  EXPECT_EQ(rows->text(0, 3), "[\"ops\", \"with \\\"quotes\\\"\"]");
  EXPECT_EQ(rows->integer(0, 4), 2);
  EXPECT_EQ(rows->text(0, 5), "moderate");
  EXPECT_EQ(rows->text(0, 6), "rules");
  EXPECT_EQ(rows->integer(0, 7), 1'800'000'000);
}

TEST(TeamPush, InvalidUtf8AndNulBytesArriveAsReplacementCharacters) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->insert(make_entry(std::string("echo \xff\xfe and ") + std::string(1, '\0') + " nul")));
  auto team = fresh_team();
  auto pushed = push(*store, team.connection, team.key, push_options());
  ASSERT_TRUE(pushed) << pushed.error().describe();
  auto rows = team.connection.query("SELECT command FROM command_history");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->text(0, 0), "echo \xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD nul");
}

// PostgreSQL's text and jsonb cannot hold a NUL byte: one in a tag or in
// the metadata arrives as U+FFFD, as in the text columns, and the entry and
// the rest of its batch are pushed.
TEST(TeamPush, ANulByteInATagOrTheMetadataArrivesAsAReplacementCharacter) {
  using namespace std::string_literals;
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  fill(*store, 3, "before");
  auto entry = make_entry("kubectl get pods");
  entry.tags = {"on\0call"s, "ops"};
  entry.execution_metadata = ExecutionMetadata{0, std::nullopt, 10, "rul\0es"s, Micros{5}, Micros{6}};
  entry.safety_metadata = SafetyMetadata{RiskLevel::safe, {"pat\0tern"s}, false, 1.0};
  ASSERT_TRUE(store->insert(entry));
  fill(*store, 3, "after");
  auto team = fresh_team();
  auto pushed = push(*store, team.connection, team.key, push_options());
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->sent, 7);
  EXPECT_EQ(server_rows(team.connection), 7);
  EXPECT_EQ(pending_count(*store, team.key, {}).value(), 0);
  auto rows = team.connection.query(
      "SELECT tags::text, backend_used, safety_metadata -> 'patterns_matched' ->> 0, "
      "search @@ to_tsquery('simple', 'ops & kubectl') FROM command_history WHERE id = $1::uuid",
      {entry.id});
  ASSERT_TRUE(rows) << rows.error().describe();
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->text(0, 0),
            "[\"on\xEF\xBF\xBD"
            "call\", \"ops\"]");
  EXPECT_EQ(rows->text(0, 1),
            "rul\xEF\xBF\xBD"
            "es");
  EXPECT_EQ(rows->text(0, 2),
            "pat\xEF\xBF\xBD"
            "tern");
  EXPECT_EQ(rows->text(0, 3), "t");
}

// A server-side failure in the third batch: the first two stay pushed and
// marked, the rest stay queued, and the next push finishes the job.
TEST(TeamPush, ResumesAfterAFailureWithoutLosingOrDoublingEntries) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  fill(*store, 20, "deploy step");
  ASSERT_TRUE(store->insert(make_entry("refused by the server")));
  fill(*store, 9, "cleanup step");
  auto team = fresh_team();
  refuse_a_command(team.connection);
  auto failed = push(*store, team.connection, team.key, push_options("alice", 10));
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("disk full"), std::string::npos);
  EXPECT_NE(failed.error().message.find("20 entries were pushed before this"), std::string::npos);
  EXPECT_EQ(server_rows(team.connection), 20);
  EXPECT_EQ(pending_count(*store, team.key, {}).value(), 10);
  ASSERT_TRUE(team.connection.exec("DROP TRIGGER refuse ON command_history"));
  auto resumed = push(*store, team.connection, team.key, push_options("alice", 10));
  ASSERT_TRUE(resumed) << resumed.error().describe();
  EXPECT_EQ(resumed->sent, 10);
  EXPECT_EQ(server_rows(team.connection), 30);
}

// The server process dies in the middle of the second batch, while this
// machine reads the third (as when the connection drops): the first batch
// stays pushed, nothing of the second is on the server or marked, and the
// next push sends the rest exactly once.
TEST(TeamPush, APushCutOffMidBatchResumesWithoutLosingOrDoublingEntries) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  fill(*store, 15, "deploy step");
  ASSERT_TRUE(store->insert(make_entry("the connection drops here")));
  fill(*store, 14, "cleanup step");
  const std::string url = testing::pg_server().fresh_database();
  auto team = connect_team(url);
  ASSERT_TRUE(team) << team.error().describe();
  ASSERT_TRUE(team->connection.exec(R"sql(
    CREATE FUNCTION cut_off() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.command = 'the connection drops here' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
    RETURN NEW; END $$;
    CREATE TRIGGER cut_off BEFORE INSERT ON command_history FOR EACH ROW EXECUTE FUNCTION cut_off();)sql"));
  auto failed = push(*store, team->connection, team->key, push_options("alice", 10));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::unavailable);
  EXPECT_NE(failed.error().message.find("10 entries were pushed before this"), std::string::npos);
  auto again = connect_team(url);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(server_rows(again->connection), 10);
  EXPECT_EQ(pending_count(*store, again->key, {}).value(), 20);
  ASSERT_TRUE(again->connection.exec("DROP TRIGGER cut_off ON command_history"));
  auto resumed = push(*store, again->connection, again->key, push_options("alice", 10));
  ASSERT_TRUE(resumed) << resumed.error().describe();
  EXPECT_EQ(resumed->sent, 20);
  EXPECT_EQ(resumed->new_on_server, 20);
  EXPECT_EQ(server_rows(again->connection), 30);
  auto distinct = again->connection.query("SELECT count(DISTINCT command) FROM command_history");
  ASSERT_TRUE(distinct);
  EXPECT_EQ(distinct->integer(0, 0), 30);
  EXPECT_EQ(pending_count(*store, again->key, {}).value(), 0);
}

// Two connections take the batches in turn: every entry arrives once and is
// marked; with a batch refused, the one sent after it on the other
// connection still counts, and only the refused one stays queued.
TEST(TeamPush, TwoConnectionsTakeTurnsAndOnlyWhatTheServerRefusedStaysQueued) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  fill(*store, 20, "deploy step");
  ASSERT_TRUE(store->insert(make_entry("refused by the server")));
  fill(*store, 19, "cleanup step");
  const std::string url = testing::pg_server().fresh_database();
  auto team = connect_team(url);
  auto second = Connection::open(url);
  ASSERT_TRUE(team && second);
  refuse_a_command(team->connection);
  const std::vector<Connection*> both{&team->connection, &*second};
  auto failed = push(*store, both, team->key, push_options("alice", 10));
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("disk full"), std::string::npos);
  EXPECT_NE(failed.error().message.find("30 entries were pushed before this"), std::string::npos);
  EXPECT_EQ(server_rows(team->connection), 30);
  EXPECT_EQ(pending_count(*store, team->key, {}).value(), 10);
  ASSERT_TRUE(team->connection.exec("DROP TRIGGER refuse ON command_history"));
  auto resumed = push(*store, both, team->key, push_options("alice", 10));
  ASSERT_TRUE(resumed) << resumed.error().describe();
  EXPECT_EQ(resumed->sent, 10);
  EXPECT_EQ(server_rows(team->connection), 40);
  EXPECT_EQ(pending_count(*store, team->key, {}).value(), 0);
  auto again = push(*store, both, team->key, push_options("alice", 10));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sent, 0);
}

// An entry the server already has (its push reached the server but was
// never marked here, or another machine imported the same history) is sent
// again and ignored there.
TEST(TeamPush, AnEntryTheServerHasIsNotDuplicated) {
  testing::TempDir dir;
  auto entry = make_entry("git pull --rebase");
  auto first = history::HistoryStore::open(dir / "a.db", quiet_options());
  auto second = history::HistoryStore::open(dir / "b.db", quiet_options());
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(first->insert(entry));
  ASSERT_TRUE(second->insert(entry));
  auto team = fresh_team();
  ASSERT_TRUE(push(*first, team.connection, team.key, push_options()));
  auto again = push(*second, team.connection, team.key, push_options());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sent, 1);
  EXPECT_EQ(again->new_on_server, 0);
  EXPECT_EQ(server_rows(team.connection), 1);
}

TEST(TeamPush, TwoMachinesPushingAtOnceLoseNothing) {
  testing::TempDir dir;
  const auto shared = make_entry("kubectl rollout restart deploy/billing");
  auto url = testing::pg_server().fresh_database();
  std::vector<std::filesystem::path> files{dir / "alice.db", dir / "bob.db"};
  for (std::size_t m = 0; m < files.size(); ++m) {
    auto store =
        history::HistoryStore::open(files[m], quiet_options(history::PrivacyMode::redact, "host" + std::to_string(m)));
    ASSERT_TRUE(store);
    fill(*store, 1000, "machine " + std::to_string(m));
    ASSERT_TRUE(store->insert(shared));
  }
  std::vector<Result<PushReport>> reports(2, fail(ErrorCode::internal, "not run"));
  {
    std::vector<std::jthread> machines;
    for (std::size_t m = 0; m < files.size(); ++m) {
      machines.emplace_back([&, m] {
        auto store = history::HistoryStore::open(files[m], quiet_options());
        auto team = connect_team(url);
        if (!store || !team) return;
        reports[m] = push(*store, team->connection, team->key, push_options("user" + std::to_string(m), 100));
      });
    }
  }
  for (const auto& report : reports) ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(reports[0]->sent + reports[1]->sent, 2002);
  EXPECT_EQ(reports[0]->new_on_server + reports[1]->new_on_server, 2001);
  auto team = connect_team(url);
  ASSERT_TRUE(team);
  EXPECT_EQ(server_rows(team->connection), 2001);
  EXPECT_EQ(server_rows(team->connection, "hostname = 'host0' AND command LIKE 'machine 0 %'"), 1000);
  EXPECT_EQ(server_rows(team->connection, "hostname = 'host1' AND command LIKE 'machine 1 %'"), 1000);
}

TEST(TeamPush, ServerDownIsAClearErrorAndKeepsTheQueue) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  fill(*store, 3, "ls");
  // A socket directory no server listens in.
  const std::string url = "postgresql:///cmdai?host=" + (dir / "nowhere").string() + "&port=5999";
  auto team = connect_team(url);
  ASSERT_FALSE(team);
  EXPECT_EQ(team.error().code, ErrorCode::unavailable);
  EXPECT_NE(team.error().message.find("cannot connect to the team server"), std::string::npos);
  EXPECT_NE(team.error().hint.find("running"), std::string::npos);
  auto pending = history::unpushed_records(*store, "anything", 0, 100);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->size(), 3u);
}

}  // namespace
}  // namespace cmdai::team
