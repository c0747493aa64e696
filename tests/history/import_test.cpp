#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/entity_json.h"
#include "history/import.h"
#include "history/shell_history.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::make_entry;
using test::quiet_options;

TEST(HistoryImport, JsonlKeepsIdsAndTimestampsAndReportsBadLines) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto e = make_entry("kubectl get pods", 1'650'000'000);
  e.safety_metadata = SafetyMetadata{RiskLevel::moderate, {"k8s"}, true, 0.7};
  e.execution_metadata = ExecutionMetadata{0, Micros{1200}, 10, "ollama", Micros{5000}, Micros{30}};
  auto json = to_json(e);
  json["favorite"] = true;
  std::string text = json.dump() + "\n";
  text += "{not json\n";  // line 2
  text += "\n";           // blank: ignored
  text += R"({"id":"not-a-uuid","timestamp":"2024-01-01T00:00:00Z","command":"x"})"
          "\n";  // line 4
  text += R"({"timestamp":"2024-01-01T00:00:00Z","command":"echo fresh id"})"
          "\n";  // line 5
  text += R"({"id":")" + make_uuid_v4() +
          R"(","timestamp":"yesterday","command":"x"})"
          "\n";                           // line 6
  text += "[1,2,3]\n";                    // line 7
  text += "{\"command\":\"caf\xe9\"}\n";  // line 8: invalid UTF-8
  auto report = import_history_text(*store, ImportFormat::jsonl, text);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->imported, 2);
  std::vector<std::size_t> lines;
  for (const auto& error : report->errors) lines.push_back(error.line);
  EXPECT_EQ(lines, (std::vector<std::size_t>{2, 4, 6, 7, 8}));
  auto back = store->get_record(e.id).value();
  ASSERT_TRUE(back.has_value());
  auto expected = e;
  expected.tags.push_back("favorite");  // "favorite": true is the favorite tag
  EXPECT_EQ(back->entry, expected);
  EXPECT_TRUE(back->favorite);

  auto again = import_history_text(*store, ImportFormat::jsonl, json.dump() + "\n").value();
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.skipped, 1);
}

TEST(HistoryImport, BashWithAndWithoutTimestamps) {
  const auto plain = read_bash_history("ls -la\n\ncd /tmp\n");
  ASSERT_EQ(plain.commands.size(), 2u);
  EXPECT_FALSE(plain.commands[0].timestamp.has_value());
  EXPECT_EQ(plain.commands[1].line, 3u);
  const auto timed = read_bash_history("#1700000000\ngit status\n#1700000060\ngit push\n");
  ASSERT_EQ(timed.commands.size(), 2u);
  EXPECT_EQ(to_unix_seconds(*timed.commands[1].timestamp), 1'700'000'060);
  EXPECT_EQ(timed.commands[1].command, "git push");
}

TEST(HistoryImport, BashStampsDelimitMultiLineCommandsAndHeredocs) {
  const std::string text =
      "echo before any stamp\n"
      "ls\n"
      "#1700000000\n"
      "for f in *.log; do\n"
      "  gzip \"$f\"\n"
      "done\n"
      "#1700000060\n"
      "cat > notes.txt <<'EOF'\n"
      "# not a stamp: a line of the heredoc\n"
      "\n"
      "EOF\n"
      "\n"
      "#1700000120\n"
      "git push\n";
  const auto bash = read_bash_history(text);
  ASSERT_EQ(bash.commands.size(), 5u);
  EXPECT_EQ(bash.commands[0].command, "echo before any stamp") << "unstamped lines stay one command each";
  EXPECT_EQ(bash.commands[1].command, "ls");
  EXPECT_EQ(bash.commands[2].command, "for f in *.log; do\n  gzip \"$f\"\ndone");
  EXPECT_EQ(bash.commands[2].line, 4u);
  EXPECT_EQ(to_unix_seconds(*bash.commands[2].timestamp), 1'700'000'000);
  EXPECT_EQ(bash.commands[3].command, "cat > notes.txt <<'EOF'\n# not a stamp: a line of the heredoc\n\nEOF")
      << "blank lines inside are kept, the ones before the next stamp are not";
  EXPECT_EQ(bash.commands[4].command, "git push");

  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto report = import_history_text(*store, ImportFormat::bash, text);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->imported, 5);
}

TEST(HistoryImport, ZshExtendedMultiLineAndMetafied) {
  const std::string text =
      ": 1700000000:0;echo one\n"
      ": 1700000005:3;for f in *; do\\\n  echo $f\\\ndone\n"
      "plain command\n"
      ": garbage\n"
      ": 1700000009:0;echo caf\x83\xc9\n";
  const auto zsh = read_zsh_history(text);
  ASSERT_EQ(zsh.commands.size(), 4u);
  EXPECT_EQ(zsh.commands[1].command, "for f in *; do\n  echo $f\ndone");
  EXPECT_EQ(to_unix_seconds(*zsh.commands[1].timestamp), 1'700'000'005);
  EXPECT_EQ(zsh.commands[1].duration, std::chrono::seconds{3}) << "the duration is kept";
  EXPECT_EQ(zsh.commands[0].duration, std::chrono::seconds{0});
  EXPECT_FALSE(zsh.commands[2].duration.has_value()) << "a plain line has none";
  EXPECT_EQ(zsh.commands[2].command, "plain command");
  EXPECT_EQ(zsh.commands[3].command, "echo caf\xe9");
  ASSERT_EQ(zsh.errors.size(), 1u);
  EXPECT_EQ(zsh.errors[0].line, 6u);
}

TEST(HistoryImport, ZshDurationsBecomeExecutionTimes) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  ASSERT_TRUE(import_history_text(*store, ImportFormat::zsh, ": 1700000005:42;make -j8\n").has_value());
  auto entries = store->list({0, 1}).value();
  ASSERT_EQ(entries.size(), 1u);
  ASSERT_TRUE(entries[0].execution_metadata.has_value());
  EXPECT_EQ(entries[0].execution_metadata->execution_time, std::chrono::seconds{42});
  EXPECT_FALSE(entries[0].execution_metadata->exit_code.has_value()) << "zsh records no exit status";
}

TEST(HistoryImport, Fish) {
  const std::string text =
      "- cmd: git commit -m \"a\\nb\"\n  when: 1700000100\n  paths:\n    - src/x\n"
      "- cmd: echo back\\\\slash\n  when: 1700000200\n"
      "what is this\n";
  const auto fish = read_fish_history(text);
  ASSERT_EQ(fish.commands.size(), 2u);
  EXPECT_EQ(fish.commands[0].command, "git commit -m \"a\nb\"");
  EXPECT_EQ(to_unix_seconds(*fish.commands[0].timestamp), 1'700'000'100);
  EXPECT_EQ(fish.commands[0].paths, std::vector<std::string>{"src/x"});
  EXPECT_EQ(fish.commands[1].command, "echo back\\slash");
  EXPECT_TRUE(fish.commands[1].paths.empty());
  ASSERT_EQ(fish.errors.size(), 1u);
  EXPECT_EQ(fish.errors[0].line, 7u);
}

TEST(HistoryImport, FishPathsAreKeptSearchably) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  const std::string text = "- cmd: vim notes.md\n  when: 1700000100\n  paths:\n    - notes.md\n    - ~/todo.txt\n";
  ASSERT_TRUE(import_history_text(*store, ImportFormat::fish, text).has_value());
  auto entries = store->list({0, 1}).value();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].explanation, "paths: notes.md ~/todo.txt");
  EXPECT_EQ(entries[0].shell_type, ShellType::fish);
}

TEST(HistoryImport, ShellImportsAreIdempotentAndRedacted) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  const std::string text = ": 1700000000:0;mysql -pTopSecret1 db\n: 1700000001:0;ls\n";
  auto first = import_history_text(*store, ImportFormat::zsh, text).value();
  EXPECT_EQ(first.imported, 2);
  auto second = import_history_text(*store, ImportFormat::zsh, text).value();
  EXPECT_EQ(second.imported, 0);
  EXPECT_EQ(second.skipped, 2);
  auto entries = store->list({0, 10}).value();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].command, "mysql -p<redacted> db");
  EXPECT_EQ(entries[1].shell_type, ShellType::zsh);
  EXPECT_EQ(entries[1].tags, std::vector<std::string>{"imported"});
}

TEST(HistoryImport, ExportRoundTripsThroughEveryFormat) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  auto a = make_entry("echo one", 1'700'000'000);
  auto b = make_entry("printf 'x\\n'\necho two lines", 1'700'000'100);
  ASSERT_TRUE(store->insert(a).has_value());
  ASSERT_TRUE(store->insert(b).has_value());
  for (ImportFormat format : {ImportFormat::jsonl, ImportFormat::zsh, ImportFormat::fish}) {
    std::ostringstream out;
    ASSERT_EQ(export_history(*store, format, out).value(), 2);
    testing::TempDir other;
    auto copy = HistoryStore::open(other / "h.db", quiet_options());
    auto report = import_history_text(*copy, format, out.str()).value();
    EXPECT_EQ(report.imported, 2) << to_string(format);
    EXPECT_TRUE(report.errors.empty()) << to_string(format) << ": " << report.errors.front().message;
    auto entries = copy->list({0, 10}).value();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].command, b.command) << to_string(format);
    EXPECT_EQ(to_unix_seconds(entries[0].timestamp), 1'700'000'100);
    if (format == ImportFormat::jsonl) {
      EXPECT_EQ(entries[0], b);
    }
  }
}

TEST(HistoryImport, RetentionRunsOnceAtTheEndAndIsReported) {
  testing::TempDir dir;
  auto options = quiet_options();
  options.auto_cleanup = AutoCleanup::on;
  options.retention.max_entries = 100;
  auto store = HistoryStore::open(dir / "h.db", options);
  std::string text;
  for (int i = 0; i < 300; ++i) text += "#" + std::to_string(1'600'000'000 + i) + "\necho " + std::to_string(i) + "\n";
  auto report = import_history_text(*store, ImportFormat::bash, text);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->imported, 300);
  ASSERT_TRUE(report->retention.has_value()) << "what retention removed is in the report";
  EXPECT_EQ(report->retention->removed_by_count, 200);
  EXPECT_EQ(report->retention->remaining, 100);
  EXPECT_EQ(store->count().value(), 100);
  EXPECT_EQ(store->list({0, 1}).value().front().command, "echo 299") << "the newest are kept";

  options.retention.max_entries.reset();
  auto unlimited = HistoryStore::open(dir / "u.db", options);
  auto all = import_history_text(*unlimited, ImportFormat::bash, text);
  ASSERT_TRUE(all.has_value());
  EXPECT_FALSE(all->retention.has_value()) << "no limit: nothing removed";
  EXPECT_EQ(unlimited->count().value(), 300);
}

TEST(HistoryImport, MissingFileOrDirectoryIsAnError) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  EXPECT_EQ(import_history(*store, ImportFormat::bash, dir / "nope").error().code, ErrorCode::not_found);
  EXPECT_EQ(import_history(*store, ImportFormat::bash, dir.path()).error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(parse_import_format("csv").has_value());
}

// An endless or huge source (/dev/zero) is refused once past the limit,
// without reading it all.
TEST(HistoryImport, EndlessInputIsRefusedAtTheLimit) {
  std::ifstream zero("/dev/zero", std::ios::binary);
  auto text = read_import_text(zero, "/dev/zero");
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(text.error().message.find("/dev/zero is larger than 64 MiB"), std::string::npos) << text.error().message;
}

// The size expected is room made up front, not a promise: a source longer
// or shorter than said is read whole, and one past the limit is refused.
TEST(HistoryImport, ExpectedSizeIsOnlyAHint) {
  std::string source;
  for (int i = 0; source.size() < 3 * (1 << 20); ++i) source += "echo " + std::to_string(i) + "\n";
  for (const std::size_t expected : {std::size_t{0}, std::size_t{10}, source.size(), 2 * source.size()}) {
    std::istringstream in(source);
    auto text = read_import_text(in, "history", expected);
    ASSERT_TRUE(text.has_value()) << expected;
    EXPECT_EQ(*text, source) << expected;
  }
  std::ifstream zero("/dev/zero", std::ios::binary);
  auto endless = read_import_text(zero, "/dev/zero", 1000);
  ASSERT_FALSE(endless.has_value());
  EXPECT_EQ(endless.error().code, ErrorCode::invalid_argument);
}

TEST(HistoryImport, OverLongLinesAndBinaryGarbageAreSkippedWithTheirLine) {
  testing::TempDir dir;
  auto store = HistoryStore::open(dir / "h.db", quiet_options());
  std::string garbage;
  for (int i = 0; i < 200; ++i) garbage += static_cast<char>((i * 37 + 11) % 256);
  std::erase(garbage, '\n');
  const std::string text = "ls -la\n" + std::string(k_max_import_line_bytes + 1, 'a') + "\n" + garbage +
                           "\nprintf 'x\x1b[31m' # one escape in a command is kept\n" + std::string("a\0b", 3) + "\n";
  for (ImportFormat format : {ImportFormat::bash, ImportFormat::jsonl}) {
    auto report = import_history_text(*store, format, text);
    ASSERT_TRUE(report.has_value());
    std::vector<std::size_t> lines;
    for (const auto& e : report->errors) lines.push_back(e.line);
    if (format == ImportFormat::bash) {
      EXPECT_EQ(report->imported, 2);
      EXPECT_EQ(lines, (std::vector<std::size_t>{2, 3, 5}));
      EXPECT_NE(report->errors[0].message.find("a line of 65537 bytes"), std::string::npos);
      EXPECT_NE(report->errors[1].message.find("binary data"), std::string::npos);
    } else {
      EXPECT_EQ(lines, (std::vector<std::size_t>{1, 2, 3, 4, 5}));
    }
  }
  EXPECT_EQ(store->count().value(), 2);
}

}  // namespace
}  // namespace cmdai::history
