// `cmdai config ...` end to end: the built binary with CMDAI_HOME in a
// temporary directory.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/read_file.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class ConfigCli : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                               const testing::TempDir* home = nullptr) {
    args.insert(args.begin(), CMDAI_BINARY);
    env["CMDAI_HOME"] = (home ? home : &m_home)->path().string();
    env["NO_COLOR"] = "1";
    for (const char* name : {"CMDAI_SAFETY_LEVEL", "CMDAI_BACKEND", "CMDAI_HISTORY_MAX_ENTRIES"}) {
      env.emplace(name, "\x01unset");
    }
    return testing::run_process(args, env);
  }
  std::filesystem::path config_file() const { return m_home / "config.toml"; }
  testing::TempDir m_home;
};

TEST_F(ConfigCli, SetGetUnsetAndShowWithOrigins) {
  ASSERT_EQ(cmdai({"config", "set", "safety.level", "strict"}).exit_code, 0);
  EXPECT_EQ(cmdai({"config", "get", "safety.level"}).out, "strict\n");
  auto shown = cmdai({"config", "show", "--json"}, {{"CMDAI_HISTORY_MAX_ENTRIES", "9"}});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  auto json = nlohmann::json::parse(shown.out);
  EXPECT_EQ(json["safety.level"]["value"], "strict");
  EXPECT_EQ(json["safety.level"]["origin"], "file");
  EXPECT_EQ(json["safety.level"]["where"], config_file().string() + ":6");
  EXPECT_EQ(json["history.max_entries"]["value"], 9);
  EXPECT_EQ(json["history.max_entries"]["origin"], "env");
  EXPECT_EQ(json["ui.color"]["origin"], "env");  // NO_COLOR
  EXPECT_EQ(json["ui.streaming"]["origin"], "default");

  auto overridden = cmdai({"--config", "safety.level=permissive", "config", "get", "safety.level", "--json"});
  EXPECT_EQ(nlohmann::json::parse(overridden.out)["origin"], "command line --config");
  auto alias = cmdai({"--show-config"});
  EXPECT_NE(alias.out.find("safety.level = strict"), std::string::npos) << alias.out;

  ASSERT_EQ(cmdai({"config", "unset", "safety.level"}).exit_code, 0);
  EXPECT_EQ(cmdai({"config", "get", "safety.level"}).out, "moderate\n");
  auto history = cmdai({"config", "history", "--json"});
  auto rows = nlohmann::json::parse(history.out);
  ASSERT_EQ(rows.size(), 2u) << history.out;
  EXPECT_EQ(rows[0]["key"], "safety.level");
  EXPECT_EQ(rows[0]["old_value"], "strict");
  EXPECT_EQ(rows[0]["new_value"], "moderate");
  EXPECT_EQ(rows[0]["source"], "config unset");
  EXPECT_EQ(rows[1]["source"], "config set");
}

TEST_F(ConfigCli, InvalidValuesChangeNothing) {
  ASSERT_EQ(cmdai({"config", "set", "history.max_entries", "5"}).exit_code, 0);
  const std::string before = testing::read_file(config_file());
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"history.max_entries", "-1"},
                                                        {"backend.instances.ollama.endpoint", "ftp://x"},
                                                        {"backend.instances.ollama.retries", "11"},
                                                        {"backend.instances.ollama.timeout_ms", "0"},
                                                        {"safety.custom_patterns", "(oops"},
                                                        {"backend.fallback_chain", "ollama, gpt"},
                                                        {"ui.color", "purple"},
                                                        {"backend.instances.ollama.model", "caf\xc3"}}) {
    auto r = cmdai({"config", "set", key, value});
    EXPECT_EQ(r.exit_code, 2) << key << "=" << value;
    EXPECT_NE(r.err.find(key), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << r.err;
  }
  EXPECT_EQ(testing::read_file(config_file()), before);
  auto typo = cmdai({"config", "set", "safety.levl", "strict"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean 'safety.level'?"), std::string::npos) << typo.err;
}

TEST_F(ConfigCli, BrokenFileIsReportedNeverOverwrittenAndResetKeepsIt) {
  std::ofstream(config_file()) << "[safety]\nlevel = \"strict\"\n[history\n";
  auto shown = cmdai({"config", "show"});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_NE(shown.err.find(config_file().string() + ":3:"), std::string::npos) << shown.err;
  auto set = cmdai({"config", "set", "ui.color", "false"});
  EXPECT_EQ(set.exit_code, 1);
  EXPECT_NE(set.err.find("config reset"), std::string::npos) << set.err;
  EXPECT_EQ(testing::read_file(config_file()), "[safety]\nlevel = \"strict\"\n[history\n");
  ASSERT_EQ(cmdai({"config", "reset"}).exit_code, 0);
  EXPECT_EQ(testing::read_file(m_home / "config.toml.bak"), "[safety]\nlevel = \"strict\"\n[history\n");
  auto after = cmdai({"config", "show"});
  EXPECT_TRUE(after.err.empty()) << after.err;
  auto generated = cmdai({"show git status"});
  EXPECT_EQ(generated.exit_code, 0) << generated.err;
}

TEST_F(ConfigCli, ImportValidatesEverythingBeforeWriting) {
  const auto incoming = m_home / "incoming.toml";
  std::ofstream(incoming) << "[safety]\nlevel = \"strict\"\n[history]\nmax_entries = -1\nmax_age_dayz = 3\n";
  auto bad = cmdai({"config", "import", incoming.string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(incoming.string() + ":4: history.max_entries"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find(incoming.string() + ":5: unknown key 'history.max_age_dayz'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("nothing was imported"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(config_file()));
  EXPECT_EQ(cmdai({"config", "import", (m_home / "missing.toml").string()}).exit_code, 5);
}

TEST_F(ConfigCli, ExportThenImportElsewhereReproducesTheConfiguration) {
  ASSERT_EQ(cmdai({"config", "set", "backend.instances.work.type", "vllm"}).exit_code, 0);
  ASSERT_EQ(cmdai({"config", "set", "backend.instances.work.endpoint", "http://gpu:8000"}).exit_code, 0);
  ASSERT_EQ(cmdai({"config", "set", "backend.preferred", "work"}).exit_code, 0);
  ASSERT_EQ(cmdai({"config", "set", "safety.custom_patterns", "['curl .*\\| *sh', 'a,b']"}).exit_code, 0);
  ASSERT_EQ(cmdai({"config", "set", "history.max_age_days", "14"}).exit_code, 0);
  const auto exported = m_home / "exported.toml";
  ASSERT_EQ(cmdai({"config", "export", exported.string()}).exit_code, 0);

  testing::TempDir other;
  auto imported = cmdai({"config", "import", exported.string()}, {}, &other);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto values = [](const std::string& json_text) {
    auto json = nlohmann::json::parse(json_text);
    nlohmann::json out;
    for (auto it = json.begin(); it != json.end(); ++it) out[it.key()] = it.value()["value"];
    return out;
  };
  EXPECT_EQ(values(cmdai({"config", "show", "--json"}, {}, &other).out),
            values(cmdai({"config", "show", "--json"}).out));
  EXPECT_EQ(cmdai({"config", "get", "backend.preferred"}, {}, &other).out, "work\n");
}

TEST_F(ConfigCli, ListsAreTomlArraysOrOneItemNeverSplitAtAComma) {
  auto list = [&](const std::string& key) {
    auto got = cmdai({"config", "get", key, "--json"});
    EXPECT_EQ(got.exit_code, 0) << got.err;
    return nlohmann::json::parse(got.out)["value"];
  };
  using Items = std::vector<std::string>;
  ASSERT_EQ(cmdai({"config", "set", "safety.custom_patterns", "^rm .{1,3}/"}).exit_code, 0);
  EXPECT_EQ(list("safety.custom_patterns"), nlohmann::json(Items{"^rm .{1,3}/"})) << "one item, comma and all";

  auto array = cmdai({"config", "set", "safety.custom_patterns", R"(["a,b", "c", "[a-z]{1,3}"])"});
  ASSERT_EQ(array.exit_code, 0) << array.err;
  EXPECT_EQ(list("safety.custom_patterns"), nlohmann::json(Items{"a,b", "c", "[a-z]{1,3}"}));

  auto added = cmdai({"config", "set", "safety.custom_patterns", "--add", "x{2,4}", "--add", "^sudo "});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(list("safety.custom_patterns"), nlohmann::json(Items{"a,b", "c", "[a-z]{1,3}", "x{2,4}", "^sudo "}));
  auto removed = cmdai({"config", "set", "safety.custom_patterns", "--remove", "a,b", "--remove", "c"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(list("safety.custom_patterns"), nlohmann::json(Items{"[a-z]{1,3}", "x{2,4}", "^sudo "}));
  ASSERT_EQ(cmdai({"config", "set", "safety.custom_patterns", "--add", "^sudo "}).exit_code, 0);
  EXPECT_EQ(list("safety.custom_patterns").size(), 3u) << "an item already there is not added twice";

  // --remove starts from the default when the file does not set the key.
  ASSERT_EQ(cmdai({"config", "set", "backend.fallback_chain", "--remove", "ollama"}).exit_code, 0);
  EXPECT_EQ(list("backend.fallback_chain"), nlohmann::json(Items{"llama", "rules"}));
}

TEST_F(ConfigCli, MalformedListsAndBadItemEditsChangeNothing) {
  ASSERT_EQ(cmdai({"config", "set", "safety.custom_patterns", R"(["keep,me"])"}).exit_code, 0);
  const std::string before = testing::read_file(config_file());
  for (const std::string& value : {std::string(R"(["a", "b")"), std::string("[a-z]{1,3}"), std::string("[1, 2]"),
                                   std::string(R"(["a"] trailing)")}) {
    auto r = cmdai({"config", "set", "safety.custom_patterns", value});
    EXPECT_EQ(r.exit_code, 2) << value;
    EXPECT_NE(r.err.find("safety.custom_patterns"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--add"), std::string::npos) << "the error says how to add one item: " << r.err;
  }
  auto missing = cmdai({"config", "set", "safety.custom_patterns", "--remove", "keep"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("'keep' is not in the list"), std::string::npos) << missing.err;
  auto bad_pattern = cmdai({"config", "set", "safety.custom_patterns", "--add", "(oops"});
  EXPECT_EQ(bad_pattern.exit_code, 2) << "the key's validator checks the edited list";
  auto not_a_list = cmdai({"config", "set", "safety.level", "--add", "strict"});
  EXPECT_EQ(not_a_list.exit_code, 2);
  EXPECT_NE(not_a_list.err.find("--add and --remove change lists"), std::string::npos) << not_a_list.err;
  EXPECT_EQ(cmdai({"config", "set", "safety.custom_patterns", "--add", "x", "extra"}).exit_code, 2);
  EXPECT_EQ(testing::read_file(config_file()), before);
}

TEST_F(ConfigCli, SetAndUnsetKeepTheUsersComments) {
  std::filesystem::create_directories(config_file().parent_path());
  std::ofstream(config_file()) << "# my settings, edited by hand\n[ui]\ncolor = true  # keep it\n\n"
                                  "# be careful\n[safety]\nlevel = \"moderate\"\n";
  ASSERT_EQ(cmdai({"config", "set", "safety.level", "strict"}).exit_code, 0);
  ASSERT_EQ(cmdai({"config", "set", "history.max_entries", "500"}).exit_code, 0);
  ASSERT_EQ(cmdai({"config", "unset", "ui.color"}).exit_code, 0);
  EXPECT_EQ(testing::read_file(config_file()),
            "# my settings, edited by hand\n\n# be careful\n[safety]\nlevel = 'strict'\n\n"
            "[history]\nmax_entries = 500\n")
      << "the emptied [ui] goes too";
  EXPECT_EQ(cmdai({"config", "get", "safety.level"}).out, "strict\n");
}

TEST_F(ConfigCli, UnsetRemovesWholeInstancesAndUnknownKeys) {
  ASSERT_EQ(cmdai({"config", "set", "backend.instances.work.type", "vllm"}).exit_code, 0);
  ASSERT_EQ(cmdai({"config", "set", "backend.instances.work.model", "m"}).exit_code, 0);
  {
    std::ofstream append(config_file(), std::ios::app);
    append << "[future]\nshiny = true\n";
  }
  auto warned = cmdai({"config", "show"});
  EXPECT_NE(warned.err.find("unknown key 'future.shiny'"), std::string::npos) << warned.err;
  ASSERT_EQ(cmdai({"config", "unset", "future.shiny"}).exit_code, 0);
  ASSERT_EQ(cmdai({"config", "unset", "backend.instances.work"}).exit_code, 0);
  auto shown = cmdai({"config", "show"});
  EXPECT_TRUE(shown.err.empty()) << shown.err;
  EXPECT_EQ(shown.out.find("backend.instances.work"), std::string::npos) << shown.out;
  EXPECT_EQ(cmdai({"config", "unset", "no.such"}).exit_code, 2);
}

TEST_F(ConfigCli, UnwritableConfigDirectoryFailsClearlyAndShowStillWorks) {
  if (!std::filesystem::is_directory("/sys")) GTEST_SKIP() << "no /sys here";
  auto set = testing::run_process({CMDAI_BINARY, "config", "set", "ui.color", "false"},
                                  {{"CMDAI_HOME", "/sys"}, {"NO_COLOR", "1"}});
  EXPECT_EQ(set.exit_code, 1);
  EXPECT_NE(set.err.find("cannot save /sys/config.toml"), std::string::npos) << set.err;
  EXPECT_NE(set.err.find("the old file is unchanged"), std::string::npos) << set.err;
  auto show = testing::run_process({CMDAI_BINARY, "config", "show"}, {{"CMDAI_HOME", "/sys"}, {"NO_COLOR", "1"}});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("ui.color = false"), std::string::npos) << show.out;  // NO_COLOR
}

TEST_F(ConfigCli, PathReferenceAndUnknownActions) {
  EXPECT_EQ(cmdai({"config", "path"}).out, config_file().string() + "\n");
  EXPECT_NE(cmdai({"config", "reference"}).out.find("CMDAI_SAFETY_LEVEL"), std::string::npos);
  auto typo = cmdai({"config", "sett"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean 'set'?"), std::string::npos) << typo.err;
}

}  // namespace
}  // namespace cmdai
