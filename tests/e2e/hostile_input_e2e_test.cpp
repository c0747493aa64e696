// What a history file, a secret on a command line, a broken disk or another
// process sends: the built cmdai against real files, a real read-only bind
// mount and a full tmpfs (in a private mount namespace, so nothing outlives
// the test), a real lock held by this process.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/read_file.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class Hostile : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), CMDAI_BINARY);
    env.emplace("CMDAI_HOME", home());
    env.emplace("NO_COLOR", "1");
    return testing::run_process(args, env);
  }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = m_dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  std::string home() const { return (m_dir / "home").string(); }
  std::string db() const { return home() + "/history.db"; }
  // Runs sh -c SCRIPT in a mount namespace of its own ($HOME_DIR and $CMDAI
  // set); false when this machine cannot make one (not root).
  bool in_namespace(const std::string& script, testing::ProcessResult& result) {
    result = testing::run_process(
        {"/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script},
        {{"HOME_DIR", home()}, {"CMDAI", CMDAI_BINARY}, {"CMDAI_HOME", home()}, {"NO_COLOR", "1"}});
    return result.exit_code != 97;
  }
  void SetUp() override { std::filesystem::create_directories(m_dir / "home"); }
  testing::TempDir m_dir;
};

// Every path that stores text: a generated command (a request typed as a
// command is answered as typed), `run`, the shell hook and an import. Not a
// byte of any secret may reach history.db or its WAL.
TEST_F(Hostile, SecretsFromEveryPathNeverReachTheDatabaseFiles) {
  write("home/config.toml", "[history]\ncapture_shell = true\n");
  EXPECT_EQ(cmdai({"curl -H 'Authorization: Bearer GenSecret77' https://db"}).exit_code, 0);
  EXPECT_EQ(cmdai({"run", "--dry-run", "--", "curl -u bob:RunSecret88 https://x"}).exit_code, 0);
  EXPECT_EQ(
      cmdai({"shell-record", "--", "bash", "0", "5", "-", "/tmp", "docker login -u bob -p ShellSecret99 r"}).exit_code,
      0);
  const auto file = write("bash_history", "redis-cli -a ImportSecret11 ping\necho SudoSecret22 | sudo -S true\n");
  EXPECT_EQ(cmdai({"history", "import", "--format", "bash", file}).exit_code, 0);
  const auto listed = cmdai({"history", "list", "--json"});
  EXPECT_EQ(nlohmann::json::parse(listed.out, nullptr, false).size(), 5u) << listed.out;
  const std::string bytes = testing::read_file(db()) + testing::read_file(db() + "-wal");
  for (const char* secret : {"GenSecret77", "RunSecret88", "ShellSecret99", "ImportSecret11", "SudoSecret22"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(bytes.find("redis-cli -a <redacted> ping"), std::string::npos);
}

TEST_F(Hostile, ImportThatReadsNothingFailsAndSaysWhy) {
  auto missing = cmdai({"history", "import", "--format", "bash", (m_dir / "nope").string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("no file"), std::string::npos) << missing.err;
  auto empty = cmdai({"history", "import", "--format", "bash", write("empty", "")});
  EXPECT_NE(empty.exit_code, 0);
  EXPECT_NE(empty.err.find("nothing could be imported"), std::string::npos) << empty.err;
  std::string garbage;
  for (int i = 0; i < 4000; ++i) garbage += static_cast<char>((i * 131 + 7) % 256);
  const auto junk = write("junk", garbage);
  auto binary = cmdai({"history", "import", "--format", "zsh", junk});
  EXPECT_NE(binary.exit_code, 0);
  EXPECT_NE(binary.err.find(junk + ":1: binary data"), std::string::npos) << binary.err;
  auto zero = cmdai({"history", "import", "--format", "bash", "/dev/zero"});
  EXPECT_NE(zero.exit_code, 0);
  EXPECT_NE(zero.err.find("larger than 64 MiB"), std::string::npos) << zero.err;
  EXPECT_EQ(cmdai({"history", "list", "--json"}).out, "[]\n");
}

TEST_F(Hostile, ReadOnlyHomeStillListsAndSearchesAndDoctorSaysReadOnly) {
  ASSERT_EQ(cmdai({"run", "--dry-run", "--", "echo read-only-check"}).exit_code, 0);
  testing::ProcessResult r;
  const std::string script =
      "mount --bind \"$HOME_DIR\" \"$HOME_DIR\" && mount -o remount,ro,bind \"$HOME_DIR\" || exit 97\n"
      "\"$CMDAI\" history list; echo \"list=$?\"\n"
      "\"$CMDAI\" search --mode lexical read-only-check; echo \"search=$?\"\n"
      "\"$CMDAI\" doctor; echo \"doctor=$?\"\n";
  if (!in_namespace(script, r)) GTEST_SKIP() << "no mount namespace here: " << r.err;
  EXPECT_NE(r.out.find("list=0"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("search=0"), std::string::npos) << r.out << r.err;
  EXPECT_GE(std::count(r.out.begin(), r.out.end(), '\n'), 4) << r.out;
  EXPECT_NE(r.out.find("echo read-only-check"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("read-only"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(".broken"), std::string::npos) << "a healthy file is not to be moved aside: " << r.out;
}

// A full disk: the history write fails with a clear error, the log says
// once that it is off, and no raw spdlog line appears.
TEST_F(Hostile, FullDiskGivesOneClearLogMessageNotRawLoggerLines) {
  testing::ProcessResult r;
  const std::string script =
      "mount -t tmpfs -o size=64k tmpfs \"$HOME_DIR\" || exit 97\n"
      "head -c 1000000 /dev/zero > \"$HOME_DIR/fill\" 2>/dev/null\n"
      "\"$CMDAI\" -vv run --dry-run -- 'echo full'; echo \"run=$?\"\n";
  if (!in_namespace(script, r)) GTEST_SKIP() << "no tmpfs here: " << r.err;
  EXPECT_EQ(r.err.find("LOG ERROR"), std::string::npos) << r.err;
  std::size_t notices = 0;
  for (auto at = r.err.find("cannot write the log"); at != std::string::npos;
       at = r.err.find("cannot write the log", at + 1)) {
    ++notices;
  }
  EXPECT_LE(notices, 1u) << r.err;
  EXPECT_NE(r.err.find("not saved to history"), std::string::npos) << r.err;
}

// Where in the file a leaf page of the entries' table lies (dbstat), so the
// damage lands on rows an export must read whatever the layout.
std::int64_t entry_page_offset(const std::string& path) {
  sqlite3* db = nullptr;
  std::int64_t offset = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    const char* sql =
        "SELECT (pageno - 1) * (SELECT page_size FROM pragma_page_size) FROM dbstat "
        "WHERE name = 'command_history' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 10";
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW)
      offset = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return offset;
}

// One damaged page of entries: export (and stats, when it reads that page)
// fails and points to `history cleanup`; export leaves no partial file;
// cleanup then recovers the readable rows.
TEST_F(Hostile, DamagedPageMakesStatsAndExportPointToCleanup) {
  std::string lines;
  for (int i = 0; i < 3000; ++i) lines += "echo entry-" + std::to_string(i) + "-" + std::string(60, 'x') + "\n";
  ASSERT_EQ(cmdai({"history", "import", "--format", "bash", write("many", lines)}).exit_code, 0);
  ASSERT_EQ(cmdai({"history", "cleanup"}).exit_code, 0);  // everything in history.db, the WAL empty
  const std::int64_t offset = entry_page_offset(db());
  ASSERT_GT(offset, 0);
  {
    std::fstream file(db(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(offset);
    const std::string junk(4096, '\xa5');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const auto out = (m_dir / "export.jsonl").string();
  auto exported = cmdai({"history", "export", out});
  auto stats = cmdai({"history", "stats"});
  ASSERT_NE(exported.exit_code, 0) << "an export reads every entry";
  for (const auto* run : {&exported, &stats}) {
    if (run->exit_code == 0) continue;
    EXPECT_NE(run->err.find("cmdai history cleanup"), std::string::npos) << run->err;
  }
  if (exported.exit_code != 0) {
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  }
  EXPECT_EQ(cmdai({"history", "cleanup"}).exit_code, 0);
  EXPECT_EQ(cmdai({"history", "export", out}).exit_code, 0);
}

// A writer that finds the database locked by another process says so after
// a second, naming that process, and goes on once the lock is released.
TEST_F(Hostile, WriterWaitingForALockSaysForWhom) {
  ASSERT_EQ(cmdai({"run", "--dry-run", "--", "echo first"}).exit_code, 0);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto err_file = (m_dir / "err").string();
  testing::ProcessResult waited;
  std::thread writer([&] {
    waited =
        testing::run_process({"/bin/sh", "-c", "\"$CMDAI\" run --dry-run -- 'echo second' 2>\"$ERR\""},
                             {{"CMDAI", CMDAI_BINARY}, {"ERR", err_file}, {"CMDAI_HOME", home()}, {"NO_COLOR", "1"}});
  });
  // Released once cmdai has said it waits (the deadline only bounds a failure).
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (testing::read_file(err_file).find("waiting for") == std::string::npos &&
         std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  writer.join();
  const std::string err = testing::read_file(err_file);
  EXPECT_EQ(waited.exit_code, 0) << err;
  EXPECT_NE(err.find("(pid " + std::to_string(::getpid()) + ") to finish writing " + db()), std::string::npos) << err;
}

// The smaller ones.
TEST_F(Hostile, BlankRunConfigDirectoryInitConfigAndMissingShell) {
  auto blank = cmdai({"run", "-y", "--", "   "});
  EXPECT_EQ(blank.exit_code, 2) << blank.err;
  EXPECT_NE(blank.err.find("only blanks"), std::string::npos) << blank.err;

  std::filesystem::create_directories(home() + "/config.toml");
  auto directory = cmdai({"check", "--", "ls"});
  EXPECT_NE(directory.err.find("config.toml"), std::string::npos) << directory.err;
  EXPECT_NE(directory.err.find("directory"), std::string::npos) << directory.err;
  auto refused = cmdai({"run", "-y", "--", "echo should-not-run"});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_EQ(refused.out.find("should-not-run\n"), refused.out.rfind("should-not-run")) << "printed once, not run";
  std::filesystem::remove(home() + "/config.toml");

  auto init = cmdai({"--config", "shell.key_binding=alt-k", "init", "bash"});
  EXPECT_NE(init.out.find("\\ek"), std::string::npos) << init.out;

  auto shell = cmdai({"run", "-y", "--", "echo shell-ok"}, {{"SHELL", "/nonexistent"}});
  EXPECT_EQ(shell.exit_code, 0) << shell.err;
  EXPECT_NE(shell.out.find("shell-ok\n"), std::string::npos) << shell.out;
  EXPECT_EQ(shell.err.find("Permission denied"), std::string::npos) << shell.err;
}

}  // namespace
}  // namespace cmdai
