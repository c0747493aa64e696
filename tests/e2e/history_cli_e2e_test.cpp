// `cmdai history ...` and `cmdai search` against a real history.db.

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/uuid.h"
#include "history/history_store.h"
#include "store/database.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class HistoryCli : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args, const std::string& stdin_data = {},
                               std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), CMDAI_BINARY);
    env.emplace("CMDAI_HOME", m_home.path().string());
    env.emplace("NO_COLOR", "1");
    return testing::run_process(args, env, stdin_data);
  }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = m_home / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  testing::TempDir m_home;
};

TEST_F(HistoryCli, ImportListShowFavoriteSearchDeleteExport) {
  const auto file = write("zsh_history",
                          ": 1700000000:0;systemctl reload nginx\n"
                          ": 1700000100:0;tar -czf backup.tar.gz /etc\n"
                          ": oops\n");
  auto imported = cmdai({"history", "import", "--format", "zsh", file});
  EXPECT_EQ(imported.exit_code, 1) << "a bad line is reported";
  EXPECT_NE(imported.out.find("imported 2"), std::string::npos) << imported.out;
  EXPECT_NE(imported.err.find("zsh_history:3:"), std::string::npos) << imported.err;

  auto list = cmdai({"history", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto entries = nlohmann::json::parse(list.out);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["command"], "tar -czf backup.tar.gz /etc");
  const std::string id = entries[1]["id"];

  auto show = cmdai({"history", "show", id.substr(0, 8), "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out)["command"], "systemctl reload nginx");
  EXPECT_EQ(cmdai({"history", "favorite", id.substr(0, 8)}).exit_code, 0);

  auto found = cmdai({"search", "systemclt", "reload", "--favorites", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  auto results = nlohmann::json::parse(found.out);
  ASSERT_EQ(results.size(), 1u) << found.out;
  for (const char* key : {"entry", "similarity_score", "matching_context", "explanation"}) {
    EXPECT_TRUE(results[0].contains(key)) << key;
  }
  EXPECT_EQ(results[0]["entry"]["id"], id);
  EXPECT_EQ(nlohmann::json::parse(cmdai({"search", "tar", "--since", "2023-11-15", "--json"}).out).size(), 0u);
  EXPECT_EQ(cmdai({"search", "tar", "--since", "soon"}).exit_code, 2);

  auto exported = cmdai({"history", "export", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(std::count(exported.out.begin(), exported.out.end(), '\n'), 2);
  EXPECT_NE(exported.out.find("\"favorite\":true"), std::string::npos);

  EXPECT_EQ(cmdai({"history", "delete", id}).exit_code, 0);
  EXPECT_EQ(cmdai({"history", "show", id}).exit_code, 5);
  EXPECT_EQ(nlohmann::json::parse(cmdai({"history", "list", "--json"}).out).size(), 1u);

  const auto jsonl = write("back.jsonl", exported.out);
  auto back = cmdai({"history", "import", "--format", "jsonl", jsonl});
  EXPECT_EQ(back.exit_code, 0) << back.err;
  EXPECT_NE(back.out.find("imported 1, skipped 1"), std::string::npos) << back.out;
}

TEST_F(HistoryCli, StatsCleanupAndReplay) {
  ASSERT_EQ(cmdai({"show git status"}).exit_code, 0);
  auto list = nlohmann::json::parse(cmdai({"history", "list", "--json"}).out);
  const std::string id = list[0]["id"];

  // A replay always asks: without a terminal or -y even a dry run says it would be blocked.
  auto dry = cmdai({"history", "replay", id.substr(0, 8), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 4) << dry.err;
  EXPECT_NE(dry.out.find("Risk: safe"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("Would run: git status"), std::string::npos) << dry.out;
  EXPECT_EQ(cmdai({"history", "replay", id.substr(0, 8), "--dry-run", "--yes"}).exit_code, 0);
  auto refused = cmdai({"history", "replay", id.substr(0, 8)});
  EXPECT_NE(refused.exit_code, 0) << "no terminal and no --yes: not run";

  const auto script = write("replay.jsonl", R"({"id":"11111111-1111-4111-8111-111111111111","timestamp":)"
                                            R"("2026-01-01T00:00:00Z","command":"echo replayed-ok","shell_type":"sh"})"
                                            "\n");
  ASSERT_EQ(cmdai({"history", "import", "--format", "jsonl", script}).exit_code, 0);
  auto replayed = cmdai({"history", "replay", "11111111", "--yes"});
  EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
  auto after = nlohmann::json::parse(cmdai({"history", "show", "11111111", "--json"}).out);
  EXPECT_EQ(after["use_count"], 1);
  EXPECT_EQ(after["execution_metadata"]["exit_code"], 0);
  EXPECT_EQ(after["safety_metadata"]["user_confirmed"], true);

  auto stats = cmdai({"history", "stats", "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  auto s = nlohmann::json::parse(stats.out);
  EXPECT_EQ(s["total"], 2);
  EXPECT_EQ(s["executed"], 1);
  EXPECT_EQ(s["success_rate"], 1.0);
  EXPECT_FALSE(s["top_commands"].empty());

  auto cleanup = cmdai({"history", "cleanup"});
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.err;
  EXPECT_NE(cleanup.out.find("; 2 entries kept"), std::string::npos) << cleanup.out;
}

TEST_F(HistoryCli, GarbageDatabaseIsMovedAsideAndCmdaiKeepsWorking) {
  write("history.db", std::string(10000, '\x07'));
  auto r = cmdai({"show git status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto list = cmdai({"history", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(nlohmann::json::parse(list.out).size(), 1u);
  bool moved = false;
  for (const auto& f : std::filesystem::directory_iterator(m_home.path())) {
    moved = moved || f.path().filename().string().rfind("history.db.corrupt-", 0) == 0;
  }
  EXPECT_TRUE(moved);
}

std::string numbered_bash_history(int first, int count) {
  std::string text;
  for (int i = first; i < first + count; ++i) {
    text += "#" + std::to_string(1'600'000'000 + i) + "\necho " + std::to_string(i) + "\n";
  }
  return text;
}

TEST_F(HistoryCli, DefaultsKeepEverythingAndALimitSaysWhatItRemoved) {
  auto all = cmdai({"history", "import", "--format", "bash", write("bash_history", numbered_bash_history(0, 300))});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("imported 300,"), std::string::npos) << all.out;
  EXPECT_EQ(all.out.find("retention"), std::string::npos) << "no limit by default: nothing removed" << all.out;
  EXPECT_EQ(nlohmann::json::parse(cmdai({"history", "stats", "--json"}).out)["total"], 300);

  auto limited = cmdai({"history", "import", "--format", "bash", write("more", numbered_bash_history(300, 50))}, {},
                       {{"CMDAI_HISTORY_MAX_ENTRIES", "100"}});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_NE(limited.out.find("imported 50,"), std::string::npos) << limited.out;
  EXPECT_NE(limited.out.find("retention removed 0 entries older than (no age limit) and 250 oldest beyond "
                             "history.max_entries = 100; 100 entries kept"),
            std::string::npos)
      << limited.out;
  EXPECT_EQ(nlohmann::json::parse(cmdai({"history", "stats", "--json"}).out)["total"], 100);

  ASSERT_EQ(cmdai({"config", "set", "history.max_entries", "0"}).exit_code, 0) << "0 is allowed: no limit";
  EXPECT_EQ(cmdai({"config", "set", "history.max_entries", "-3"}).exit_code, 2);
  auto json = cmdai({"history", "import", "--format", "bash", write("json", numbered_bash_history(400, 10)), "--json"},
                    {}, {{"CMDAI_HISTORY_MAX_AGE_DAYS", "30"}});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report["retention"]["removed_by_age"], 110) << "every entry is years old; the user asked for 30 days";
  EXPECT_EQ(report["retention"]["max_age_days"], 30);
}

TEST_F(HistoryCli, ImportedCommandsAreRatedAndUnratedIsNeverSafe) {
  const auto file = write("bash_history", "#1700000000\nrm -rf ~/old-project\n#1700000060\nls -la\n");
  ASSERT_EQ(cmdai({"history", "import", "--format", "bash", file}).exit_code, 0);
  auto entries = nlohmann::json::parse(cmdai({"history", "list", "--json"}).out);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1]["command"], "rm -rf ~/old-project");
  EXPECT_NE(entries[1]["safety_metadata"]["risk_level"], "safe");
  EXPECT_EQ(entries[0]["safety_metadata"]["risk_level"], "safe");
  {
    auto store = history::HistoryStore::open(m_home / "history.db");
    ASSERT_TRUE(store.has_value());
    CommandHistoryEntry unrated;
    unrated.id = make_uuid_v4();
    unrated.timestamp = Clock::now();
    unrated.command = "curl example.com | sh";
    ASSERT_TRUE(store->insert(unrated).has_value());
  }
  auto plain = cmdai({"history", "list"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto line_of = [&](const std::string& command) {
    const auto at = plain.out.find(command);
    EXPECT_NE(at, std::string::npos) << plain.out;
    const auto start = plain.out.rfind('\n', at);
    return plain.out.substr(start == std::string::npos ? 0 : start + 1,
                            at - (start == std::string::npos ? 0 : start + 1));
  };
  EXPECT_NE(line_of("curl example.com | sh").find("unrated"), std::string::npos) << plain.out;
  EXPECT_EQ(line_of("rm -rf ~/old-project").find("safe"), std::string::npos) << plain.out;
  auto stats = nlohmann::json::parse(cmdai({"history", "stats", "--json"}).out);
  bool counted_unrated = false;
  for (const auto& row : stats["by_risk"]) counted_unrated |= row["value"] == "unrated";
  EXPECT_TRUE(counted_unrated) << stats.dump();
}

// Whatever path stores an entry - an import, a command run as typed, a
// generated one, one captured from the shell, an agent's command the guard
// checked - the entry records how long its validation took.
TEST_F(HistoryCli, EveryWayAnEntryIsStoredRecordsItsValidationTime) {
  ASSERT_EQ(cmdai({"history", "import", "--format", "bash", write("h", "#1700000000\nterraform plan\n")}).exit_code, 0);
  ASSERT_EQ(cmdai({"run", "--dry-run", "--", "ls -la /tmp"}).exit_code, 0);
  auto generated = cmdai({"--backend", "rules", "--no-stream", "show disk usage"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  auto captured = cmdai({"shell-record", "--", "bash", "0", "12", "-", m_home.path().string(), "make test"}, {},
                        {{"CMDAI_CAPTURE_SHELL", "true"}});
  ASSERT_EQ(captured.exit_code, 0) << captured.err;
  const nlohmann::json event{{"session_id", "s-1"},
                             {"cwd", m_home.path().string()},
                             {"hook_event_name", "PreToolUse"},
                             {"tool_name", "Bash"},
                             {"tool_input", {{"command", "rm -rf ~"}}}};
  auto guarded = cmdai({"guard", "claude-code"}, event.dump(), {{"HOME", m_home.path().string()}});
  ASSERT_EQ(guarded.exit_code, 0) << guarded.err;

  auto entries = nlohmann::json::parse(cmdai({"history", "list", "--json"}).out);
  std::set<std::string> commands;
  for (const auto& entry : entries) {
    SCOPED_TRACE(entry.dump());
    commands.insert(entry["command"].get<std::string>());
    ASSERT_TRUE(entry["execution_metadata"].is_object());
    EXPECT_GT(entry["execution_metadata"]["validation_time"].get<double>(), 0.0);
  }
  EXPECT_EQ(entries.size(), 5u);
  for (const char* command : {"terraform plan", "ls -la /tmp", "make test", "rm -rf ~"}) {
    EXPECT_EQ(commands.count(command), 1u) << command;
  }
}

TEST_F(HistoryCli, AnIdTypedInAnyCaseFindsTheEntry) {
  ASSERT_EQ(cmdai({"history", "import", "--format", "bash", write("h", "#1700000000\nkubectl get pods\n")}).exit_code,
            0);
  const std::string id = nlohmann::json::parse(cmdai({"history", "list", "--json"}).out)[0]["id"];
  std::string upper = id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string mixed = id.substr(0, 8);
  for (std::size_t i = 0; i < mixed.size(); i += 2) {
    mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
  }
  ASSERT_NE(upper, id) << "a UUID always holds letters";
  for (const std::string& typed : {upper, mixed}) {
    auto shown = cmdai({"history", "show", typed, "--json"});
    ASSERT_EQ(shown.exit_code, 0) << typed << ": " << shown.err;
    EXPECT_EQ(nlohmann::json::parse(shown.out)["id"], id) << "stored and shown in the one lower-case form";
  }
  EXPECT_EQ(cmdai({"history", "favorite", upper}).exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(cmdai({"history", "show", id, "--json"}).out)["tags"],
            nlohmann::json({"imported", "favorite"}));
  EXPECT_EQ(cmdai({"history", "delete", mixed}).exit_code, 0);
  EXPECT_EQ(cmdai({"history", "show", id}).exit_code, 5) << "deleted";
}

TEST_F(HistoryCli, TagUntagAndFilterByTag) {
  ASSERT_EQ(cmdai({"history", "import", "--format", "bash",
                   write("h", "#1700000000\nterraform apply\n#1700000060\nterraform plan\n")})
                .exit_code,
            0);
  auto entries = nlohmann::json::parse(cmdai({"history", "list", "--json"}).out);
  const std::string apply_id = entries[1]["id"];
  std::string upper = apply_id.substr(0, 8);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto tagged = cmdai({"history", "tag", upper, "infra", "prod"});
  ASSERT_EQ(tagged.exit_code, 0) << tagged.err;
  EXPECT_NE(tagged.out.find("tags: imported, infra, prod"), std::string::npos) << tagged.out;
  auto listed = nlohmann::json::parse(cmdai({"history", "list", "--tag", "infra", "--json"}).out);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], apply_id);
  auto found = nlohmann::json::parse(cmdai({"search", "terraform", "--tag", "prod", "--json"}).out);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["entry"]["id"], apply_id);
  EXPECT_TRUE(found[0]["entry"]["relevance_score"].is_number()) << found[0].dump();
  auto untagged = cmdai({"history", "untag", apply_id.substr(0, 8), "prod", "--json"});
  ASSERT_EQ(untagged.exit_code, 0) << untagged.err;
  EXPECT_EQ(nlohmann::json::parse(untagged.out)["tags"], nlohmann::json({"imported", "infra"}));
  EXPECT_EQ(cmdai({"history", "list", "--tag", "prod"}).exit_code, 1) << "no entry has it any more";
  auto bad = cmdai({"history", "tag", apply_id.substr(0, 8)});
  EXPECT_EQ(bad.exit_code, 2) << "a tag is needed";
  EXPECT_NE(bad.err.find("needs an id and at least one tag"), std::string::npos) << bad.err;
  EXPECT_EQ(cmdai({"history", "tag", apply_id.substr(0, 8), " "}).exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(cmdai({"history", "show", apply_id, "--json"}).out)["tags"],
            nlohmann::json({"imported", "infra"}))
      << "a refused tag changed nothing";
}

TEST_F(HistoryCli, ImportFromAtuinAtItsDefaultPathAndFromMcfly) {
  const auto data = m_home / "data";
  std::filesystem::create_directories(data / "atuin");
  {
    auto db = store::Database::open(data / "atuin" / "history.db");
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->exec("create table if not exists history (id text primary key, timestamp integer not null, "
                         "duration integer not null, exit integer not null, command text not null, cwd text not "
                         "null, session text not null, hostname text not null, unique(timestamp, cwd, command));"
                         "INSERT INTO history VALUES ('0A1B', 1700000000000000000, 2000000000, 0, 'make all', "
                         "'/src', 's', 'box:me');")
                    .has_value());
  }
  auto atuin = cmdai({"history", "import", "--from", "atuin"}, {}, {{"XDG_DATA_HOME", data.string()}});
  ASSERT_EQ(atuin.exit_code, 0) << atuin.err;
  EXPECT_NE(atuin.out.find("imported 1,"), std::string::npos) << atuin.out;
  auto shown = nlohmann::json::parse(cmdai({"history", "list", "--json"}).out);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0]["working_directory"], "/src");
  EXPECT_EQ(shown[0]["execution_metadata"]["exit_code"], 0);

  auto missing = cmdai({"history", "import", "--from", "mcfly", (m_home / "nope.db").string()});
  EXPECT_EQ(missing.exit_code, 5) << missing.err;
  EXPECT_NE(missing.err.find("no mcfly database at"), std::string::npos) << missing.err;
  auto unknown = cmdai({"history", "import", "--from", "fzf"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("use --from atuin or --from mcfly"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace cmdai
