// The words push splits for the server's full-text vector, and the proof
// that a pushed vector is the one the server's own expression gives.

#include <gtest/gtest.h>

#include "team/search_words.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using namespace std::string_literals;
using test::make_entry;
using test::push_options;
using test::quiet_options;

// The ASCII characters a libc locale counts as [[:punct:][:space:]].
const WordSeparators k_libc("\t\n\v\f\r !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

TEST(SearchWords, RunsOfSeparatorsBecomeOneSpace) {
  EXPECT_EQ(k_libc.words("git push origin main"), "git push origin main");
  EXPECT_EQ(k_libc.words("tar -czf ./backup.tgz --exclude='*.log'"), "tar czf backup tgz exclude log ");
  EXPECT_EQ(k_libc.words("  a\t\n\tb  "), " a b ");
  EXPECT_EQ(k_libc.words(""), "");
  EXPECT_EQ(k_libc.words("bell\x07here"), "bell\x07here");
}

TEST(SearchWords, OnlyTheServersSeparatorsSeparate) {
  // An ICU locale counts $ + < = > ^ ` | ~ as symbols, not punctuation.
  const WordSeparators icu("\t\n\v\f\r !\"#%&'()*,-./:;?@[\\]_{}");
  EXPECT_EQ(icu.words("a+b|c$d-e"), "a+b|c$d e");
}

TEST(SearchWords, TextBeyondAsciiIsLeftToTheServer) {
  EXPECT_EQ(k_libc.words("caf\xC3\xA9 au lait"), std::nullopt);
  EXPECT_EQ(k_libc.words("nul\0byte"s), std::nullopt);
  EXPECT_EQ(k_libc.words("\xff"), std::nullopt);
}

TEST(SearchWords, TagsAreSplitAsTheServerPrintsTheirJson) {
  EXPECT_EQ(k_libc.tag_words({}), " ");
  EXPECT_EQ(k_libc.tag_words({"ops", "on-call"}), " ops on call ");
  // jsonb writes a newline as \n and a control character as \u00XX.
  EXPECT_EQ(k_libc.tag_words({"a\nb", "c\x01"}), " a nb c u0001 ");
  EXPECT_EQ(k_libc.tag_words({"\xC3\xA9t\xC3\xA9"}), std::nullopt);
}

TEST(SearchWords, TheServerSaysWhichAsciiCharactersSeparate) {
  auto team = test::fresh_team();
  auto separators = WordSeparators::of_server(team.connection);
  ASSERT_TRUE(separators) << separators.error().describe();
  EXPECT_EQ(separators->words("a_b\tc\x7f"
                              "d"),
            "a b c\x7f"
            "d");
}

// Entries whose every field is pushed, then the server recomputes each
// vector with migration 1's generated expression from what it stored: none
// may differ, whether this machine split the words or the server did.
TEST(SearchWords, APushedVectorIsTheOneTheServerExpressionGives) {
  testing::TempDir dir;
  auto store = history::HistoryStore::open(dir / "history.db", quiet_options());
  ASSERT_TRUE(store);
  const std::vector<std::string> texts{
      "git commit -m 'fix: parse 1e10abc and 3.14 as numbers'",
      "curl -fsSL https://example.com/install.sh | sh -s -- --prefix=/usr/local",
      "echo user@example.com foo-bar_baz a/b/c.txt v1.2.3 ~/.bashrc",
      "printf 'a\\tb\\n' | tr -d '\\\\'  # tab\there\nand a newline\r\f\v",
      "awk '{print $1}' <<< \"x y\" && ls *.[ch] || true; :",
      "grep -rn \"caf\xC3\xA9\" . # non-ASCII: \xE2\x80\x94 dash, \xC2\xA0nbsp, e\xCC\x81 combining",
      "nul\0inside and \xff\xfe invalid"s,
      "ctrl\x01\x02\x1f\x7f"
      "chars",
      "",
      "   ",
      std::string(3000, 'x') + " very long word",
  };
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto entry = make_entry(texts[i].empty() ? "true" : texts[i]);
    entry.explanation = texts[(i + 1) % texts.size()];
    entry.user_input = i % 3 == 0 ? std::nullopt : std::optional<std::string>(texts[(i + 2) % texts.size()]);
    if (i % 2 == 0) entry.tags = {"ops", "with \"quotes\" and \\", "line\nbreak\x01", "caf\xC3\xA9"};
    if (i % 4 == 1) entry.tags = {"on-call", "x.y", "nul\0tag"s};
    ASSERT_TRUE(store->insert(entry));
  }
  auto team = test::fresh_team();
  auto pushed = push(*store, team.connection, team.key, push_options());
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(test::server_rows(team.connection), static_cast<std::int64_t>(texts.size()));
  EXPECT_EQ(test::server_rows(team.connection,
                              "search IS DISTINCT FROM ("
                              "setweight(to_tsvector('simple', regexp_replace(command, '[[:punct:][:space:]]+', ' ', "
                              "'g')), 'A') || setweight(to_tsvector('simple', regexp_replace(coalesce(user_input, ''), "
                              "'[[:punct:][:space:]]+', ' ', 'g')), 'B') || setweight(to_tsvector('simple', "
                              "regexp_replace(tags::text, '[[:punct:][:space:]]+', ' ', 'g')), 'C') || "
                              "setweight(to_tsvector('simple', regexp_replace(explanation, '[[:punct:][:space:]]+', "
                              "' ', 'g')), 'D'))"),
            0);
  EXPECT_GT(test::server_rows(team.connection, "search @@ to_tsquery('simple', 'numbers & 1e10')"), 0);
}

}  // namespace
}  // namespace cmdai::team
