// Saving: atomic, round-trips, keeps every key the user set (known or not),
// refuses to overwrite a file it cannot parse, survives a read-only directory.

#include "config/document.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "config/configuration.h"
#include "config/faulty_env.h"
#include "support/fake_env.h"
#include "support/read_file.h"
#include "support/temp_dir.h"

namespace cmdai::config {
namespace {

class Document : public ::testing::Test {
 protected:
  testing::TempDir m_dir;
  std::filesystem::path m_path = m_dir / "cmdai" / "config.toml";
  testing::FakeEnv m_env;
};

TEST_F(Document, LoadSaveLoadGivesTheSameState) {
  ConfigurationState state;
  state.safety_level = SafetyLevel::strict;
  state.retention_policy.max_age_days = 30;
  state.custom_safety_patterns = {"curl .*\\| *sh", "a,b"};
  set_value(state, *resolve_key("backend.instances.work.type"), ConfigValue{std::string("openai")});
  set_value(state, *resolve_key("backend.instances.work.endpoint"), ConfigValue{std::string("https://x/v1")});
  set_value(state, *resolve_key("backend.fallback_chain"), ConfigValue{std::vector<std::string>{"work", "rules"}});
  auto doc = ConfigDocument::open(m_env, m_path);
  ASSERT_TRUE(doc);
  doc->set_all(state);
  ASSERT_TRUE(doc->save(m_env));
  auto loaded = load_configuration(m_env, m_path);
  EXPECT_TRUE(loaded.warnings.empty()) << loaded.warnings[0];
  EXPECT_EQ(loaded.state, state);

  auto again = ConfigDocument::open(m_env, m_path);
  ASSERT_TRUE(again);
  again->set_all(loaded.state);
  EXPECT_EQ(again->to_toml(), testing::read_file(m_path));
}

TEST_F(Document, ChangingOneKeyKeepsEveryOtherKeyIncludingUnknownOnes) {
  std::filesystem::create_directories(m_path.parent_path());
  std::ofstream(m_path) << "# mine\n[history]\nmax_entries = 42\n[future]\nshiny = [1, 2]\n"
                           "[backend.instances.home]\ntype = \"ollama\"\nendpoint = \"http://h:1\"\n";
  auto before = load_configuration(m_env, m_path);
  auto doc = ConfigDocument::open(m_env, m_path);
  ASSERT_TRUE(doc);
  ConfigurationState after = before.state;
  after.safety_level = SafetyLevel::strict;
  doc->set_changed(before.state, after);
  ASSERT_TRUE(doc->save(m_env));
  const std::string text = testing::read_file(m_path);
  EXPECT_EQ(text.rfind("# mine\n[history]\nmax_entries = 42\n[future]\nshiny = [1, 2]\n"
                       "[backend.instances.home]\ntype = \"ollama\"\nendpoint = \"http://h:1\"\n",
                       0),
            0u)
      << "what was there is kept as written: " << text;
  EXPECT_NE(text.find("\n[safety]\nlevel = 'strict'\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("streaming"), std::string::npos) << "untouched defaults are not written: " << text;
}

TEST_F(Document, UnsetRemovesTheKeyAndEmptyTables) {
  auto doc = ConfigDocument::open(m_env, m_path);
  ASSERT_TRUE(doc);
  doc->set(*resolve_key("ui.verbosity"), ConfigValue{std::string("debug")});
  EXPECT_TRUE(doc->contains("ui.verbosity"));
  EXPECT_TRUE(doc->remove("ui.verbosity"));
  EXPECT_FALSE(doc->remove("ui.verbosity"));
  EXPECT_EQ(doc->to_toml().find("[ui]"), std::string::npos);
}

TEST_F(Document, UnparsableFileIsNotOpenedForWriting) {
  std::filesystem::create_directories(m_path.parent_path());
  std::ofstream(m_path) << "[history\nenabled = true\n";
  auto doc = ConfigDocument::open(m_env, m_path);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, ErrorCode::corruption);
  EXPECT_NE(doc.error().message.find(m_path.string() + ":1:"), std::string::npos) << doc.error().message;
}

TEST_F(Document, InvalidUtf8IsNotOpenedForWritingAndNamesTheLine) {
  std::filesystem::create_directories(m_path.parent_path());
  const std::string broken = "[ui]\nstreaming = true\n# caf\xc3\n";
  std::ofstream(m_path, std::ios::binary) << broken;
  auto doc = ConfigDocument::open(m_env, m_path);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, ErrorCode::corruption);
  EXPECT_NE(doc.error().message.find(m_path.string() + ":3:"), std::string::npos) << doc.error().message;
  EXPECT_NE(doc.error().message.find("invalid UTF-8"), std::string::npos) << doc.error().message;
  EXPECT_EQ(testing::read_file(m_path), broken);
}

TEST_F(Document, Utf8ValuesRoundTrip) {
  auto doc = ConfigDocument::open(m_env, m_path);
  ASSERT_TRUE(doc);
  const std::string model = "mod\xc3\xa8le-\xe6\x97\xa5\xe6\x9c\xac";
  doc->set(*resolve_key("backend.instances.ollama.model"), ConfigValue{model});
  ASSERT_TRUE(doc->save(m_env));
  EXPECT_EQ(load_file_only(m_env, m_path).state.backend_configs["ollama"].model, model);
}

TEST_F(Document, ReadOnlyFileSystemGivesAClearErrorAndKeepsTheFile) {
  std::filesystem::create_directories(m_path.parent_path());
  std::ofstream(m_path) << "[history]\nmax_entries = 42\n";
  testing::FaultyEnv env;
  env.m_write_errno = EROFS;
  auto doc = ConfigDocument::open(env, m_path);
  ASSERT_TRUE(doc);
  doc->set(*resolve_key("history.max_entries"), ConfigValue{std::int64_t{7}});
  auto saved = doc->save(env);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::io_error);
  EXPECT_NE(saved.error().message.find(m_path.string()), std::string::npos);
  EXPECT_EQ(testing::read_file(m_path), "[history]\nmax_entries = 42\n");
}

TEST_F(Document, ReadOnlyDirectoryOnTheRealFileSystem) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories; the EROFS test covers this";
  std::filesystem::create_directories(m_path.parent_path());
  std::ofstream(m_path) << "[history]\nmax_entries = 42\n";
  ::chmod(m_path.parent_path().c_str(), 0555);
  auto doc = ConfigDocument::open(m_env, m_path);
  ASSERT_TRUE(doc);
  doc->set(*resolve_key("history.max_entries"), ConfigValue{std::int64_t{7}});
  EXPECT_FALSE(doc->save(m_env));
  ::chmod(m_path.parent_path().c_str(), 0755);
  EXPECT_EQ(testing::read_file(m_path), "[history]\nmax_entries = 42\n");
}

// /sys refuses new files even to root: a real directory cmdai cannot write.
TEST_F(Document, DirectoryThatRefusesWritesEvenToRoot) {
  if (!std::filesystem::is_directory("/sys")) GTEST_SKIP() << "no /sys here";
  const std::filesystem::path path = "/sys/cmdai-test-config.toml";
  auto doc = ConfigDocument::open(m_env, path);
  ASSERT_TRUE(doc);
  doc->set(*resolve_key("ui.color"), ConfigValue{false});
  auto saved = doc->save(m_env);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::io_error);
  EXPECT_NE(saved.error().message.find(path.string()), std::string::npos) << saved.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(Document, DirectoryThatIsAFileFailsCleanly) {
  std::ofstream(m_dir / "cmdai") << "not a directory";
  auto doc = ConfigDocument::open(m_env, m_path);
  ASSERT_TRUE(doc);
  doc->set(*resolve_key("ui.color"), ConfigValue{false});
  auto saved = doc->save(m_env);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::io_error);
}

}  // namespace
}  // namespace cmdai::config
