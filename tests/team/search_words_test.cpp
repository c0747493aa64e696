// The words push splits for the server's full-text vector, and the proof
// that a pushed vector is the one the server's own expression gives.

#include <gtest/gtest.h>

#include <random>

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

using Fields = std::array<std::optional<std::string>, 4>;

TEST(SearchWords, AVectorOfPlainWordsIsBuiltInTsvectorsBinaryForm) {
  // git:1A it:4D push:2A,3D, words in byte order, positions across fields.
  const auto vector = k_libc.search_vector(Fields{"Git PUSH", "", " ", " push it "});
  const std::string expected =
      "\0\0\0\x03"
      "git\0\0\x01\xC0\x01"
      "it\0\0\x01\x00\x04"
      "push\0\0\x02\xC0\x02\x00\x03"s;
  EXPECT_EQ(vector, expected);
  EXPECT_EQ(k_libc.search_vector(Fields{"", "", "", ""}), std::string(4, '\0'));
}

TEST(SearchWords, TheWordsOfABuiltVectorAreReadBackInItsOrder) {
  const auto vector = k_libc.search_vector(Fields{"Git PUSH", "", " ", " push it git"});
  ASSERT_TRUE(vector);
  std::vector<std::string_view> words{"before"};
  WordSeparators::append_vector_words(*vector, words);
  EXPECT_EQ(words, (std::vector<std::string_view>{"before", "git", "it", "push"}));
  words.clear();
  const auto empty = k_libc.search_vector(Fields{"", "", "", ""});
  WordSeparators::append_vector_words(*empty, words);
  EXPECT_TRUE(words.empty());
  std::string repeated = "Again";
  for (int i = 0; i < 254; ++i) repeated += " again";
  const auto many_positions = k_libc.search_vector(Fields{repeated, "x", "", ""});
  WordSeparators::append_vector_words(*many_positions, words);
  EXPECT_EQ(words, (std::vector<std::string_view>{"again", "x"}));
  words.clear();
  WordSeparators::append_vector_words(std::string_view(vector->data(), vector->size() - 3), words);
  EXPECT_EQ(words, (std::vector<std::string_view>{"git", "it"}));  // cut short: what is whole
}

TEST(SearchWords, AnythingButPlainWordsLeavesTheVectorToTheServer) {
  EXPECT_EQ(k_libc.search_vector(Fields{"a", std::nullopt, "", ""}), std::nullopt);
  EXPECT_EQ(k_libc.search_vector(Fields{"a+b", "", "", ""}), std::nullopt);
  EXPECT_EQ(k_libc.search_vector(Fields{"bell\x07here", "", "", ""}), std::nullopt);
  // The server's parser reads 1e10abc as the number 1e10 and the word abc.
  EXPECT_EQ(k_libc.search_vector(Fields{"1e10abc", "", "", ""}), std::nullopt);
  EXPECT_EQ(k_libc.search_vector(Fields{"", "", "", "2E5"}), std::nullopt);
  EXPECT_NE(k_libc.search_vector(Fields{"abc1e10 123abc 0x1f 42", "", "", ""}), std::nullopt);
  EXPECT_EQ(k_libc.search_vector(Fields{std::string(2047, 'x'), "", "", ""}), std::nullopt);
  EXPECT_NE(k_libc.search_vector(Fields{std::string(2046, 'x'), "", "", ""}), std::nullopt);
  std::string repeated;
  for (int i = 0; i < 256; ++i) repeated += " again";
  EXPECT_EQ(k_libc.search_vector(Fields{repeated, "", "", ""}), std::nullopt);
  const WordSeparators server_builds(" ", WordSeparators::Vectors::left_to_server);
  EXPECT_EQ(server_builds.search_vector(Fields{"a", "", "", ""}), std::nullopt);
}

TEST(SearchWords, TheServerSaysWhichAsciiCharactersSeparate) {
  auto team = test::fresh_team();
  auto separators = WordSeparators::of_server(team.connection);
  ASSERT_TRUE(separators) << separators.error().describe();
  EXPECT_TRUE(separators->builds_vectors());
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
      "MiXeD Case 0x1F 1e5 1E10 007 12345678901234567890123 abc123def x " + std::string(2046, 'y'),
  };
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto entry = make_entry(texts[i].empty() ? "true" : texts[i]);
    entry.explanation = texts[(i + 1) % texts.size()];
    entry.user_input = i % 3 == 0 ? std::nullopt : std::optional<std::string>(texts[(i + 2) % texts.size()]);
    if (i % 2 == 0) entry.tags = {"ops", "with \"quotes\" and \\", "line\nbreak\x01", "caf\xC3\xA9"};
    if (i % 4 == 1) entry.tags = {"on-call", "x.y", "nul\0tag"s};
    ASSERT_TRUE(store->insert(entry));
  }
  // Words of letters and digits only, in any case, repeated within and
  // across fields, in numbers that reach the server's limits: vectors
  // built here, and the ones beyond the limits built by the server.
  std::mt19937 random(7);
  auto word = [&] {
    static constexpr std::string_view k_characters = "abcXYZ0189";
    std::string out(1 + random() % 6, ' ');
    for (char& c : out) c = k_characters[random() % k_characters.size()];
    return out;
  };
  auto words = [&](std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += (i ? " " : "") + word();
    return out;
  };
  const std::vector<std::size_t> sizes{1, 3, 12, 40, 300, 5000, 16390};
  for (std::size_t i = 0; i < sizes.size() * 3; ++i) {
    auto entry = make_entry(words(sizes[i % sizes.size()]));
    entry.explanation = words(sizes[(i + 1) % sizes.size()] / 2);
    entry.user_input = i % 3 == 0 ? std::nullopt : std::optional<std::string>(words(5));
    entry.tags = {word(), word()};
    if (i < 2) {  // one word 255 times (built here), then 256 times (by the server)
      entry.command = "Again";
      for (std::size_t n = 0; n < 254 + i; ++n) entry.command += " again";
    }
    ASSERT_TRUE(store->insert(entry));
  }
  auto team = test::fresh_team();
  auto pushed = push(*store, team.connection, team.key, push_options());
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(test::server_rows(team.connection), static_cast<std::int64_t>(texts.size() + sizes.size() * 3));
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
