// COPY's binary format as a real server reads it: every kind of value
// cmdai sends, read back as the server stored it.

#include <gtest/gtest.h>

#include "core/time.h"
#include "team/copy_binary.h"
#include "team/team_test_support.h"

namespace cmdai::team {
namespace {

using namespace std::string_literals;

TEST(CopyBinary, UuidsAreReadFromTheirHexadecimalForm) {
  const auto bytes = uuid_bytes("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0ff");
  ASSERT_TRUE(bytes);
  EXPECT_EQ((*bytes)[0], 0x0f);
  EXPECT_EQ((*bytes)[15], 0xff);
  EXPECT_EQ(uuid_bytes("0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0FF"), bytes);
  EXPECT_FALSE(uuid_bytes("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f"));
  EXPECT_FALSE(uuid_bytes("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0fg"));
  EXPECT_FALSE(uuid_bytes("0f1e2d3c04b5a-4978-8695-a4b3c2d1e0ff"));
  EXPECT_FALSE(uuid_bytes(""));
}

TEST(CopyBinary, ReplaceNulPutsTheReplacementCharacterInPlaceOfEachNul) {
  std::string text = "\0a\0\0b\0"s;
  replace_nul(text);
  EXPECT_EQ(text,
            "\xEF\xBF\xBD"
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

TEST(CopyBinary, TheServerStoresEachValueAsSent) {
  auto team = test::fresh_team();
  ASSERT_TRUE(team.connection.exec(
      "CREATE TABLE copied (n INTEGER, id UUID, at TIMESTAMPTZ, doc JSONB, flag BOOLEAN, words TEXT)"));
  struct Row {
    std::int32_t n;
    std::string id;
    Timestamp at;
    std::optional<std::string> doc;
    bool flag;
    std::optional<std::string> words;
  };
  const std::vector<Row> rows{
      {0, "00000000-0000-4000-8000-000000000000", from_unix_seconds(0), "{\"a\": [1, \"x\"]}", true,
       "tab\there\nnewline \\ backslash \"quote\""},
      {-2147483647 - 1, "ffffffff-ffff-4fff-bfff-ffffffffffff", parse_iso8601("1999-12-31T23:59:59.999999Z").value(),
       std::nullopt, false, std::nullopt},
      {2147483647, "5b0e8f3c-0a4e-4a51-9d7e-0c1f6e2b8a11", parse_iso8601("2026-12-07T06:30:01.123456Z").value(),
       "\"caf\xC3\xA9\"", true, "nul\0byte and \xff invalid, caf\xC3\xA9"s},
      {3, "6c1f9a4d-1b5f-4b62-8e7f-1d2a7f3c9b22", parse_iso8601("1969-07-20T20:17:40.000001Z").value(), "[]", false,
       ""},
  };
  CopyBinary data;
  for (const auto& row : rows) {
    data.begin_row(6);
    data.int4(row.n);
    data.uuid(uuid_bytes(row.id).value());
    data.timestamptz(row.at);
    data.jsonb(row.doc ? std::optional<std::string_view>(*row.doc) : std::nullopt);
    data.boolean(row.flag);
    data.text(row.words ? std::optional<std::string_view>(*row.words) : std::nullopt);
  }
  ASSERT_TRUE(team.connection.copy_begin("COPY copied FROM STDIN (FORMAT binary)"));
  ASSERT_TRUE(team.connection.copy_send(data.finish()));
  auto copied = team.connection.copy_end();
  ASSERT_TRUE(copied) << copied.error().describe();
  auto stored = team.connection.query(
      "SELECT n, id::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), doc::text, flag, "
      "words FROM copied ORDER BY n");
  ASSERT_TRUE(stored) << stored.error().describe();
  ASSERT_EQ(stored->size(), 4);
  const std::vector<int> order{1, 0, 3, 2};  // rows by n
  for (int i = 0; i < 4; ++i) {
    const Row& row = rows[order[i]];
    SCOPED_TRACE(row.n);
    EXPECT_EQ(stored->integer(i, 0), row.n);
    EXPECT_EQ(stored->text(i, 1), row.id);
    EXPECT_EQ(stored->text(i, 2), format_iso8601(row.at));
    EXPECT_EQ(stored->optional_text(i, 3), row.doc);
    EXPECT_EQ(stored->text(i, 4), row.flag ? "t" : "f");
  }
  EXPECT_EQ(stored->text(1, 5), "tab\there\nnewline \\ backslash \"quote\"");
  EXPECT_TRUE(stored->is_null(0, 5));
  EXPECT_EQ(stored->text(2, 5), "");
  EXPECT_EQ(stored->text(3, 5),
            "nul\xEF\xBF\xBD"
            "byte and \xEF\xBF\xBD invalid, caf\xC3\xA9");
}

}  // namespace
}  // namespace cmdai::team
