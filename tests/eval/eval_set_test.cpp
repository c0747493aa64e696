#include "eval/eval_set.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace cmdai::eval {
namespace {

std::string error_of(std::string_view text) {
  auto set = parse_eval_set(text, "set.tsv");
  EXPECT_FALSE(set.has_value()) << text;
  if (set) return "";
  EXPECT_EQ(set.error().code, ErrorCode::invalid_argument);
  return set.error().message;
}

TEST(EvalSet, ReadsRequiredAndOptionalColumnsInAnyOrder) {
  auto set = parse_eval_set(
      "request\tid\taccept_regex\tmin_risk\tcategory\n"
      "list files\tf-1\t^ls\t\tfiles\n"
      "\n"
      "wipe /tmp/x\tf-2\t^rm -rf\tcritical\tfiles\r\n",
      "set.tsv");
  ASSERT_TRUE(set.has_value()) << set.error().describe();
  ASSERT_EQ(set->rows.size(), 2u);
  EXPECT_EQ(set->rows[0].id, "f-1");
  EXPECT_EQ(set->rows[0].request, "list files");
  EXPECT_EQ(set->rows[0].category, "files");
  EXPECT_FALSE(set->rows[0].min_risk.has_value());
  EXPECT_EQ(set->rows[1].min_risk, RiskLevel::critical);
  EXPECT_EQ(set->rows[1].line, 4u);
  EXPECT_TRUE(*set->rows[1].accept.search("rm -rf /tmp/x")) << "the CR before the newline is not part of the regex";
}

TEST(EvalSet, MinimalHeaderAndByteOrderMark) {
  auto set = parse_eval_set("\xEF\xBB\xBFid\trequest\taccept_regex\na\tshow date\t^date", "set.tsv");
  ASSERT_TRUE(set.has_value()) << set.error().describe();
  EXPECT_EQ(set->rows[0].category, "");
}

TEST(EvalSet, EveryProblemNamesFileAndLine) {
  EXPECT_EQ(error_of(""), "set.tsv:1: the file is empty");
  EXPECT_EQ(error_of("id\trequest\n"), "set.tsv:1: no 'accept_regex' column");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\tnotes\n"), "set.tsv:1: unknown column 'notes'");
  EXPECT_EQ(error_of("id\tid\trequest\taccept_regex\n"), "set.tsv:1: column 'id' twice");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\n"), "set.tsv:1: no rows after the header");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\na\tb\n"), "set.tsv:2: 2 fields, the header names 3");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\na\tb\tc\td\n"), "set.tsv:2: 4 fields, the header names 3");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\n\tb\tc\n"), "set.tsv:2: the id is empty");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\na\t\tc\n"), "set.tsv:2: the request of a is empty");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\na\tb\t\n"), "set.tsv:2: the accept_regex of a is empty");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\na\tb\tc\n\na\td\te\n"), "set.tsv:4: id a is used twice");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\tmin_risk\na\tb\tc\tmoderate\n"), "set.tsv:2: min_risk is 'moderate'");
  EXPECT_EQ(error_of("id\trequest\taccept_regex\na\tb\tc\nz\tcaf\xe9\tc\n"),
            "set.tsv:3: not UTF-8 (byte 6 of the line)");
  const auto regex = error_of("id\trequest\taccept_regex\na\tb\tc\nb\tb\t^find (x\n");
  EXPECT_EQ(regex.rfind("set.tsv:3: bad accept_regex: missing closing parenthesis at offset 8", 0), 0u) << regex;
  EXPECT_NE(regex.find("(row b)"), std::string::npos) << regex;
}

TEST(EvalSet, LoadsFilesAndReportsMissingOnes) {
  testing::TempDir dir;
  auto missing = load_eval_set(dir / "none.tsv");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(load_eval_set(dir.path()).error().code, ErrorCode::invalid_argument);
  std::ofstream(dir / "set.tsv") << "id\trequest\taccept_regex\nx\tshow the date\t^date\n";
  auto set = load_eval_set(dir / "set.tsv");
  ASSERT_TRUE(set.has_value()) << set.error().describe();
  EXPECT_EQ(set->name, (dir / "set.tsv").string());
}

TEST(EvalSet, TheShippedSetsLoad) {
  for (const char* name : {"eval.tsv", "dev.tsv"}) {
    auto set = load_eval_set(std::string(CMDAI_SOURCE_DIR) + "/bench/eval/" + name);
    ASSERT_TRUE(set.has_value()) << set.error().describe();
    EXPECT_GE(set->rows.size(), 300u) << name;
  }
}

}  // namespace
}  // namespace cmdai::eval
