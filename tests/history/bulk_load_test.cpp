#include "history/bulk_load.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <tuple>
#include <vector>

#include "core/entity_json.h"
#include "history/import.h"
#include "history/search.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

constexpr int k_entries = 3000;  // above the size from which a batch loads in bulk

// Entries with shared words, a word of their own ("token<i>"), a secret now
// and then, directories and days that vary.
std::vector<CommandHistoryEntry> generated_entries() {
  const std::vector<std::string> programs = {"git status",         "docker logs web", "kubectl get pods",
                                             "rsync -a src/ dst/", "make -j8",        "journalctl -u nginx"};
  std::vector<CommandHistoryEntry> entries;
  for (int i = 0; i < k_entries; ++i) {
    std::string command = programs[static_cast<std::size_t>(i) % programs.size()] + " token" + std::to_string(i);
    if (i % 97 == 0) command += " --password hunter" + std::to_string(i);
    auto entry = make_entry(command, 1'700'000'000 + i * 3'000LL, "/home/me/p" + std::to_string(i % 7));
    if (i % 5 == 0) entry.tags = {"deploy"};
    if (i % 11 == 0) entry.user_input = "show the thing number " + std::to_string(i);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string as_jsonl(const std::vector<CommandHistoryEntry>& entries) {
  std::string text;
  for (const auto& entry : entries) text += to_json(entry).dump() + "\n";
  return text;
}

// The whole full-text index as (term, entries, occurrences) rows.
using Vocabulary = std::vector<std::tuple<std::string, std::int64_t, std::int64_t>>;

Vocabulary vocabulary(HistoryStore& store) {
  auto statement = store.database().prepare("SELECT term, doc, cnt FROM command_history_vocab ORDER BY term").value();
  Vocabulary out;
  while (statement.step().value()) {
    out.emplace_back(statement.column_text(0), statement.column_int(1), statement.column_int(2));
  }
  return out;
}

std::vector<std::string> rows_of(HistoryStore& store, const std::string& sql) {
  auto statement = store.database().prepare(sql).value();
  std::vector<std::string> out;
  while (statement.step().value()) out.push_back(statement.column_text(0) + "|" + statement.column_text(1));
  return out;
}

std::vector<std::string> day_bounds(HistoryStore& store) {
  return rows_of(store, "SELECT day, first_rowid FROM command_history_days ORDER BY day");
}

std::vector<std::string> triggers(HistoryStore& store) {
  return rows_of(store, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name");
}

std::vector<std::string> indexes(HistoryStore& store) {
  return rows_of(store, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
}

// SQLite's own check that every index holds exactly the table's rows.
bool tables_consistent(HistoryStore& store) {
  auto statement = store.database().prepare("PRAGMA integrity_check").value();
  return statement.step().value() && statement.column_text(0) == "ok";
}

// FTS5's own check that the index holds exactly what the table does.
bool index_consistent(HistoryStore& store) {
  return store.database()
      .exec("INSERT INTO command_history_fts(command_history_fts, rank) VALUES ('integrity-check', 1)")
      .has_value();
}

std::vector<std::string> ids_matching(HistoryStore& store, const std::string& match) {
  auto statement = store.database()
                       .prepare(
                           "SELECT h.id FROM command_history_fts JOIN command_history h ON h.rowid = "
                           "command_history_fts.rowid WHERE command_history_fts MATCH ?1 ORDER BY h.id")
                       .value();
  statement.bind(1, match);
  std::vector<std::string> out;
  while (statement.step().value()) out.push_back(statement.column_text(0));
  return out;
}

TEST(HistoryBulkLoad, ImportIndexesExactlyAsEntryByEntryInsertion) {
  testing::TempDir dir;
  const auto entries = generated_entries();
  auto bulk = HistoryStore::open(dir / "bulk.db", quiet_options()).value();
  auto single = HistoryStore::open(dir / "single.db", quiet_options()).value();
  const auto report = import_history_text(bulk, ImportFormat::jsonl, as_jsonl(entries)).value();
  EXPECT_EQ(report.imported, k_entries);
  EXPECT_TRUE(report.errors.empty());
  for (const auto& entry : entries) ASSERT_TRUE(single.store(entry).has_value());

  EXPECT_EQ(bulk.count().value(), single.count().value());
  EXPECT_EQ(vocabulary(bulk), vocabulary(single));
  EXPECT_FALSE(vocabulary(bulk).empty());
  EXPECT_EQ(day_bounds(bulk), day_bounds(single));
  EXPECT_EQ(triggers(bulk), triggers(single));
  EXPECT_EQ(indexes(bulk), indexes(single));
  EXPECT_FALSE(indexes(bulk).empty());
  EXPECT_TRUE(tables_consistent(bulk));
  EXPECT_TRUE(index_consistent(bulk));
  for (int i = 0; i < k_entries; ++i) {
    const auto found = ids_matching(bulk, "token" + std::to_string(i));
    ASSERT_EQ(found.size(), 1u) << "token" << i;
    EXPECT_EQ(found.front(), entries[static_cast<std::size_t>(i)].id);
  }
  for (const std::string word : {"docker", "deploy", "thing", "redacted", "explains", "hunter97"}) {
    EXPECT_EQ(ids_matching(bulk, word), ids_matching(single, word)) << word;
  }
  EXPECT_TRUE(ids_matching(bulk, "hunter97").empty());  // redacted before it was indexed
  const auto found = search(bulk, {"make token1234", 5, 0}).value();
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().entry.id, entries[1234].id);
}

TEST(HistoryBulkLoad, TriggersKeepWorkingAfterABulkImport) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options()).value();
  ASSERT_EQ(import_history_text(store, ImportFormat::jsonl, as_jsonl(generated_entries())).value().imported, k_entries);
  const auto later = make_entry("terraform plan -out plan.bin", 1'900'000'000);
  ASSERT_TRUE(store.store(later).has_value());
  EXPECT_EQ(ids_matching(store, "terraform"), std::vector<std::string>{later.id});
  EXPECT_EQ(day_bounds(store).back(), "2030-03-17|" + std::to_string(k_entries + 1));
  ASSERT_TRUE(store.remove(later.id).has_value());
  EXPECT_TRUE(ids_matching(store, "terraform").empty());
  EXPECT_TRUE(index_consistent(store));
}

TEST(HistoryBulkLoad, ImportingTheSameEntriesAgainChangesNothing) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options()).value();
  const std::string text = as_jsonl(generated_entries());
  ASSERT_EQ(import_history_text(store, ImportFormat::jsonl, text).value().imported, k_entries);
  const auto before = vocabulary(store);
  const auto days = day_bounds(store);
  const auto again = import_history_text(store, ImportFormat::jsonl, text).value();
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.skipped, k_entries);
  EXPECT_EQ(vocabulary(store), before);
  EXPECT_EQ(day_bounds(store), days);
  EXPECT_TRUE(index_consistent(store));
}

// A SQL function that fails from its n-th call on: a database error in the
// middle of an import.
void fail_from_call(sqlite3_context* context, int, sqlite3_value**) {
  auto* calls_left = static_cast<int*>(sqlite3_user_data(context));
  if (--*calls_left <= 0) {
    sqlite3_result_error(context, "disk on fire", -1);
    return;
  }
  sqlite3_result_null(context);
}

TEST(HistoryBulkLoad, AFailedImportLeavesTheDatabaseAsItWas) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options()).value();
  auto first = generated_entries();
  first.resize(10);
  ASSERT_EQ(import_history_text(store, ImportFormat::jsonl, as_jsonl(first)).value().imported, 10);
  const auto vocabulary_before = vocabulary(store);
  const auto days_before = day_bounds(store);
  const auto triggers_before = triggers(store);
  const auto indexes_before = indexes(store);

  int calls_left = 2000;
  ASSERT_EQ(sqlite3_create_function_v2(store.database().handle(), "fail_from_call", 0, SQLITE_UTF8, &calls_left,
                                       fail_from_call, nullptr, nullptr, nullptr),
            SQLITE_OK);
  ASSERT_TRUE(store.database()
                  .exec("CREATE TEMP TRIGGER fail_midway AFTER INSERT ON main.command_history "
                        "BEGIN SELECT fail_from_call(); END")
                  .has_value());
  auto more = generated_entries();
  more.erase(more.begin(), more.begin() + 10);
  const std::string text = as_jsonl(more);
  EXPECT_FALSE(import_history_text(store, ImportFormat::jsonl, text).has_value());

  EXPECT_EQ(store.count().value(), 10);
  EXPECT_EQ(vocabulary(store), vocabulary_before);
  EXPECT_EQ(day_bounds(store), days_before);
  EXPECT_EQ(triggers(store), triggers_before);
  EXPECT_EQ(indexes(store), indexes_before);
  EXPECT_TRUE(tables_consistent(store));
  EXPECT_TRUE(index_consistent(store));

  ASSERT_TRUE(store.database().exec("DROP TRIGGER temp.fail_midway").has_value());
  EXPECT_EQ(import_history_text(store, ImportFormat::jsonl, text).value().imported, k_entries - 10);
  EXPECT_EQ(ids_matching(store, "token2999").size(), 1u);
  EXPECT_EQ(indexes(store), indexes_before);
  EXPECT_TRUE(tables_consistent(store));
  EXPECT_TRUE(index_consistent(store));
}

// A batch smaller than the table keeps the indexes; one larger builds them
// again: either way they hold every row.
TEST(HistoryBulkLoad, IndexesHoldEveryRowWhateverTheBatchSize) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options()).value();
  const auto entries = generated_entries();
  const std::size_t half = entries.size() / 2;
  const auto indexes_before = indexes(store);
  ASSERT_EQ(import_history_text(store, ImportFormat::jsonl,
                                as_jsonl({entries.begin(), entries.begin() + static_cast<long>(half)}))
                .value()
                .imported,
            static_cast<std::int64_t>(half));
  std::vector<CommandHistoryEntry> rest(entries.begin() + static_cast<long>(half), entries.end() - 100);
  ASSERT_EQ(import_history_text(store, ImportFormat::jsonl, as_jsonl(rest)).value().imported,
            static_cast<std::int64_t>(rest.size()));
  EXPECT_EQ(indexes(store), indexes_before);
  EXPECT_TRUE(tables_consistent(store));
  // The directory index answers a directory's entries.
  auto statement = store.database()
                       .prepare(
                           "SELECT count(*) FROM command_history INDEXED BY command_history_working_directory "
                           "WHERE working_directory = '/home/me/p3'")
                       .value();
  ASSERT_TRUE(statement.step().value());
  std::int64_t expected = 0;
  for (std::size_t i = 0; i + 100 < entries.size(); ++i) expected += entries[i].working_directory == "/home/me/p3";
  EXPECT_EQ(statement.column_int(0), expected);
}

}  // namespace
}  // namespace cmdai::history
