#include "history/bulk_load.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "core/entity_json.h"
#include "history/import.h"
#include "history/record_row.h"
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

// The generated entries from `from` on.
std::vector<CommandHistoryEntry> entries_from(std::ptrdiff_t from) {
  auto entries = generated_entries();
  entries.erase(entries.begin(), entries.begin() + from);
  return entries;
}

// A store holding the first ten generated entries, imported.
HistoryStore store_with_ten_entries(const testing::TempDir& dir) {
  auto store = HistoryStore::open(dir / "h.db", quiet_options()).value();
  auto first = generated_entries();
  first.resize(10);
  EXPECT_EQ(import_history_text(store, ImportFormat::jsonl, as_jsonl(first)).value().imported, 10);
  return store;
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

// Makes every insert into the history fail once `calls_left` inserts have
// passed (a temporary trigger calling fail_from_call).
bool fail_inserts_after(HistoryStore& store, int& calls_left) {
  return sqlite3_create_function_v2(store.database().handle(), "fail_from_call", 0, SQLITE_UTF8, &calls_left,
                                    fail_from_call, nullptr, nullptr, nullptr) == SQLITE_OK &&
         store.database()
             .exec(
                 "CREATE TEMP TRIGGER fail_midway AFTER INSERT ON main.command_history "
                 "BEGIN SELECT fail_from_call(); END")
             .has_value();
}

TEST(HistoryBulkLoad, AFailedImportLeavesTheDatabaseAsItWas) {
  testing::TempDir dir;
  auto store = store_with_ten_entries(dir);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const auto vocabulary_before = vocabulary(store);
  const auto days_before = day_bounds(store);
  const auto triggers_before = triggers(store);
  const auto indexes_before = indexes(store);

  int calls_left = 2000;
  ASSERT_TRUE(fail_inserts_after(store, calls_left));
  const std::string text = as_jsonl(entries_from(10));
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

// A rater whose answer depends on the command alone, the same on every call.
SafetyMetadata rating_of(const RatingInput& input) {
  const bool risky = input.command.find("rsync") != std::string_view::npos;
  return SafetyMetadata{risky ? RiskLevel::high : RiskLevel::safe,
                        risky ? std::vector<std::string>{"files.overwrite"} : std::vector<std::string>{}, false,
                        risky ? 0.25 : 1.0};
}

// Every row in rowid order, with the time rating took (a measured duration)
// left out.
std::vector<HistoryRecord> rows_in_order(HistoryStore& store) {
  auto statement = store.database()
                       .prepare("SELECT " + std::string(k_record_columns) + " FROM command_history ORDER BY rowid")
                       .value();
  std::vector<HistoryRecord> out;
  while (statement.step().value()) {
    auto record = read_record(statement).value();
    if (record.entry.execution_metadata) record.entry.execution_metadata->validation_time = Micros{0};
    out.push_back(std::move(record));
  }
  return out;
}

// The import reads and rates on a thread of its own while this one writes:
// what it writes is what rating each entry and storing it in order writes.
TEST(HistoryBulkLoad, ImportWritesWhatRatingAndStoringEachEntryInOrderWrites) {
  testing::TempDir dir;
  auto entries = generated_entries();
  const auto more = generated_entries();  // several chunks' worth
  entries.insert(entries.end(), more.begin(), more.end());
  for (std::size_t i = k_entries; i < entries.size(); ++i) entries[i].id = make_uuid_v4();
  auto imported = HistoryStore::open(dir / "imported.db", quiet_options()).value();
  auto stored = HistoryStore::open(dir / "stored.db", quiet_options()).value();
  const auto report = import_history_text(imported, ImportFormat::jsonl, as_jsonl(entries), rating_of).value();
  EXPECT_EQ(report.imported, 2 * k_entries);
  for (auto entry : entries) {
    entry.safety_metadata = rating_of({entry.command, entry.working_directory, entry.shell_type});
    if (!entry.execution_metadata) entry.execution_metadata = ExecutionMetadata{};
    ASSERT_TRUE(stored.store(entry).has_value());
  }
  const auto imported_rows = rows_in_order(imported);
  const auto stored_rows = rows_in_order(stored);
  ASSERT_EQ(imported_rows.size(), stored_rows.size());
  for (std::size_t i = 0; i < imported_rows.size(); ++i) {
    EXPECT_EQ(imported_rows[i].entry, stored_rows[i].entry) << "row " << i + 1;
    EXPECT_EQ(imported_rows[i].favorite, stored_rows[i].favorite);
    EXPECT_EQ(imported_rows[i].hostname, stored_rows[i].hostname);
  }
  EXPECT_EQ(vocabulary(imported), vocabulary(stored));
  EXPECT_EQ(day_bounds(imported), day_bounds(stored));
  EXPECT_TRUE(index_consistent(imported));
}

// The rater throws on the reading thread while earlier chunks are already
// written: the import rolls back and the exception reaches the caller.
TEST(HistoryBulkLoad, AnExceptionWhileReadingRollsBackAndReachesTheCaller) {
  testing::TempDir dir;
  auto store = store_with_ten_entries(dir);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const auto vocabulary_before = vocabulary(store);
  const auto triggers_before = triggers(store);
  const auto indexes_before = indexes(store);

  const auto entries = entries_from(10);
  int calls = 0;
  const Rater failing = [&calls](const RatingInput& input) {
    if (++calls == 2500) throw std::runtime_error("rater gave up");
    return rating_of(input);
  };
  EXPECT_THROW((void)import_history_text(store, ImportFormat::jsonl, as_jsonl(entries), failing), std::runtime_error);
  EXPECT_EQ(calls, 2500) << "the reader stops at the exception";

  EXPECT_EQ(store.count().value(), 10);
  EXPECT_EQ(vocabulary(store), vocabulary_before);
  EXPECT_EQ(triggers(store), triggers_before);
  EXPECT_EQ(indexes(store), indexes_before);
  EXPECT_TRUE(tables_consistent(store));
  EXPECT_TRUE(index_consistent(store));
  // Nothing is left holding the database.
  EXPECT_EQ(import_history_text(store, ImportFormat::jsonl, as_jsonl(entries), rating_of).value().imported,
            k_entries - 10);
}

// The database fails early in a long import while the reader is ahead of
// it: the error is returned, nothing is kept, and the reader, waiting for
// room in its queue, is stopped rather than reading on to the end.
TEST(HistoryBulkLoad, ADatabaseErrorWhileReadingAheadIsReturnedAndStopsTheReader) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options()).value();
  int calls_left = 100;
  ASSERT_TRUE(fail_inserts_after(store, calls_left));
  constexpr int k_long = 40'000;  // far more than the reader may read ahead
  std::vector<CommandHistoryEntry> entries;
  for (int i = 0; i < k_long; ++i) entries.push_back(make_entry("echo " + std::to_string(i), 1'700'000'000 + i));
  int rated = 0;
  const Rater counting = [&rated](const RatingInput& input) {
    ++rated;
    return rating_of(input);
  };
  auto report = import_history_text(store, ImportFormat::jsonl, as_jsonl(entries), counting);
  ASSERT_FALSE(report.has_value());
  EXPECT_NE(report.error().message.find("disk on fire"), std::string::npos) << report.error().message;
  EXPECT_LT(rated, k_long) << "the reader stops when the writer does";
  EXPECT_EQ(store.count().value(), 0);
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
