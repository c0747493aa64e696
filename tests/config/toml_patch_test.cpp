// patch_toml: a save changes the file's text only where the document
// changed, so comments, blank lines, order and formatting survive; where an
// edit cannot be made in place it declines (the document is then written
// afresh), and what it returns always parses to the edited table.
#include <gtest/gtest.h>

#include <random>

#include "config/toml_patch.h"

namespace cmdai::config {
namespace {

constexpr std::string_view k_file =
    "# my cmdai settings\n"
    "\n"
    "[backend]\n"
    "preferred = \"work\"   # the fast one\n"
    "fallback_chain = [\n"
    "  \"work\",  # first\n"
    "  \"rules\",\n"
    "]\n"
    "\n"
    "# servers\n"
    "[backend.instances.work]\n"
    "type = \"vllm\"\n"
    "endpoint = \"http://gpu:8000\"\n"
    "\n"
    "[history]\n"
    "max_entries = 5000\n";

struct Edited {
  toml::table original;
  toml::table target;
};

Edited parsed(std::string_view text) {
  Edited e;
  e.original = toml::parse(text);
  e.target = e.original;
  return e;
}

std::string patched(std::string_view text, const Edited& e) {
  auto out = patch_toml(text, e.original, e.target);
  EXPECT_TRUE(out.has_value()) << "declined";
  if (!out) return {};
  EXPECT_TRUE(toml::parse(*out) == e.target) << *out;
  return *out;
}

TEST(TomlPatch, NothingChangedIsTheSameText) {
  const auto e = parsed(k_file);
  EXPECT_EQ(patched(k_file, e), k_file);
}

TEST(TomlPatch, AChangedValueIsReplacedWhereItStands) {
  auto e = parsed(k_file);
  e.target.at_path("history").as_table()->insert_or_assign("max_entries", 200);
  e.target.at_path("backend").as_table()->insert_or_assign("preferred", "home");
  std::string expected(k_file);
  expected.replace(expected.find("5000"), 4, "200");
  expected.replace(expected.find("\"work\"   #"), 6, "'home'");
  EXPECT_EQ(patched(k_file, e), expected);
}

TEST(TomlPatch, AMultiLineArrayIsReplacedAsAWhole) {
  auto e = parsed(k_file);
  toml::array chain{"home", "rules"};
  e.target.at_path("backend").as_table()->insert_or_assign("fallback_chain", chain);
  const std::string out = patched(k_file, e);
  EXPECT_EQ(out.find("# first"), std::string::npos) << "the comment was inside the old value";
  EXPECT_NE(out.find("fallback_chain = [ 'home', 'rules' ]\n\n# servers\n"), std::string::npos) << out;
  EXPECT_NE(out.find("preferred = \"work\"   # the fast one\n"), std::string::npos) << out;
}

TEST(TomlPatch, ANewKeyGoesAfterTheLastKeyOfItsTable) {
  auto e = parsed(k_file);
  e.target.at_path("backend.instances.work").as_table()->insert("model", "qwen");
  e.target.at_path("history").as_table()->insert("max_age_days", 30);
  const std::string out = patched(k_file, e);
  EXPECT_NE(out.find("endpoint = \"http://gpu:8000\"\nmodel = 'qwen'\n\n[history]"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("max_entries = 5000\nmax_age_days = 30\n")) << out;
}

TEST(TomlPatch, ANewTableIsAppendedAndATopLevelKeyGoesBeforeTheFirstTable) {
  auto e = parsed(k_file);
  toml::table safety;
  safety.insert("level", "strict");
  e.target.insert("safety", safety);
  e.target.insert("version", 2);
  const std::string out = patched(k_file, e);
  EXPECT_TRUE(out.ends_with("max_entries = 5000\n\n[safety]\nlevel = 'strict'\n")) << out;
  EXPECT_EQ(out.rfind("# my cmdai settings\n\nversion = 2\n[backend]\n", 0), 0u) << out;
}

TEST(TomlPatch, RemovingKeysAndTablesTakesTheirLinesOnly) {
  auto e = parsed(k_file);
  e.target.at_path("backend").as_table()->erase("preferred");
  e.target.at_path("backend").as_table()->erase("instances");
  const std::string out = patched(k_file, e);
  EXPECT_EQ(out,
            "# my cmdai settings\n\n[backend]\nfallback_chain = [\n  \"work\",  # first\n  \"rules\",\n]\n\n"
            "# servers\n\n[history]\nmax_entries = 5000\n");
}

TEST(TomlPatch, CharactersBeyondAsciiBeforeAValueKeepItsPlace) {
  const std::string text = "[a]\nname = \"caf\xc3\xa9\" # \xc3\xa9t\xc3\xa9\nother = 1\n";
  auto e = parsed(text);
  e.target.at_path("a").as_table()->insert_or_assign("name", "th\xc3\xa9");
  EXPECT_EQ(patched(text, e), "[a]\nname = 'th\xc3\xa9' # \xc3\xa9t\xc3\xa9\nother = 1\n");
}

TEST(TomlPatch, AFileWithoutItsLastNewlineGetsOneBeforeNewLines) {
  const std::string text = "[a]\nx = 1";
  auto e = parsed(text);
  e.target.at_path("a").as_table()->insert("y", 2);
  EXPECT_EQ(patched(text, e), "[a]\nx = 1\ny = 2\n");
}

TEST(TomlPatch, DeclinesWhatItCannotEditInPlace) {
  {
    const std::string text = "a = { x = 1 }\n";
    auto e = parsed(text);
    e.target.at_path("a").as_table()->insert("y", 2);
    EXPECT_FALSE(patch_toml(text, e.original, e.target)) << "a key inside an inline table";
  }
  {
    const std::string text = "[[servers]]\nname = 'a'\n";
    auto e = parsed(text);
    e.target.insert("x", 1);
    EXPECT_FALSE(patch_toml(text, e.original, e.target)) << "arrays of tables";
  }
  {
    const std::string text = "x = 1\r\n";
    auto e = parsed(text);
    e.target.insert_or_assign("x", 2);
    EXPECT_FALSE(patch_toml(text, e.original, e.target)) << "CR line ends";
  }
  {
    const std::string text = "backend.preferred = 'a'\n";  // a table made by a dotted key
    auto e = parsed(text);
    e.target.at_path("backend").as_table()->insert("timeout", 5);
    const auto out = patch_toml(text, e.original, e.target);
    if (out) {
      EXPECT_TRUE(toml::parse(*out) == e.target) << *out;
    }
  }
}

// Random edits of a commented file: whatever comes back parses to the
// edited table, and every comment outside a replaced value survives.
TEST(TomlPatch, RandomEditsAlwaysParseToTheTarget) {
  std::mt19937 random(11);
  const std::vector<std::string> tables = {
      "backend", "history", "safety", "ui", "backend.instances.work", "backend.instances.new"};
  const std::vector<std::string> keys = {"a", "b", "max_entries", "type", "level"};
  int patched_count = 0;
  for (int round = 0; round < 200; ++round) {
    auto e = parsed(k_file);
    for (int edit = 0; edit < 4; ++edit) {
      const std::string& table = tables[random() % tables.size()];
      const std::string& key = keys[random() % keys.size()];
      toml::table* t = e.target.at_path(table).as_table();
      if (t == nullptr) {
        toml::table fresh;
        fresh.insert(key, static_cast<int64_t>(random() % 100));
        std::string parent = table.substr(0, table.rfind('.'));
        if (table.find('.') == std::string::npos) {
          e.target.insert(table, fresh);
        } else if (toml::table* p = e.target.at_path(parent).as_table()) {
          p->insert(table.substr(table.rfind('.') + 1), fresh);
        }
      } else if (random() % 3 == 0) {
        t->erase(key);
      } else {
        t->insert_or_assign(key, static_cast<int64_t>(random() % 100));
      }
    }
    const auto out = patch_toml(k_file, e.original, e.target);
    if (!out) continue;
    ++patched_count;
    ASSERT_TRUE(toml::parse(*out) == e.target) << *out;
    EXPECT_NE(out->find("# my cmdai settings\n"), std::string::npos);
    EXPECT_NE(out->find("# servers\n"), std::string::npos);
  }
  EXPECT_GT(patched_count, 150) << "most edits are made in place";
}

}  // namespace
}  // namespace cmdai::config
