#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/entity_json.h"
#include "core/time.h"
#include "core/utf8.h"
#include "core/uuid.h"

namespace cmdai {
namespace {

CommandHistoryEntry sample_entry() {
  CommandHistoryEntry e;
  e.id = make_uuid_v4();
  e.timestamp = from_unix_seconds(1'700'000'000) + std::chrono::microseconds(123456);
  e.command = "find ~/Downloads -type f -iname '*.pdf' -size +10M";
  e.user_input = "list all pdf files larger than 10MB in Downloads";
  e.explanation = "Finds PDFs";
  e.shell_type = ShellType::zsh;
  e.working_directory = "/home/u";
  e.execution_metadata = ExecutionMetadata{0, Micros{1500}, 42, "rules", Micros{250}, Micros{12}};
  e.safety_metadata = SafetyMetadata{RiskLevel::moderate, {"rm.files"}, true, 0.6};
  e.tags = {"files", "pdf"};
  e.embedding_vector = std::vector<float>(384, 0.5f);
  e.relevance_score = 0.25;
  return e;
}

TEST(Uuid, GeneratesValidVersion4) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = make_uuid_v4();
    EXPECT_TRUE(is_uuid_v4(id)) << id;
    EXPECT_EQ(id, ascii_lower(id));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Uuid, RejectsOtherVersionsAndShapes) {
  EXPECT_FALSE(is_uuid_v4("not-a-uuid"));
  EXPECT_FALSE(is_uuid_v4("123e4567-e89b-12d3-a456-426614174000"));  // version 1
  EXPECT_FALSE(is_uuid_v4("123e4567-e89b-42d3-c456-426614174000"));  // wrong variant
  EXPECT_TRUE(is_uuid_v4("123e4567-e89b-42d3-a456-426614174000"));
}

TEST(Time, FormatsAndParsesUtc) {
  const auto t = from_unix_seconds(1'700'000'000) + std::chrono::microseconds(5);
  EXPECT_EQ(format_iso8601(t), "2023-11-14T22:13:20.000005Z");
  EXPECT_EQ(parse_iso8601("2023-11-14T22:13:20.000005Z").value(), t);
  EXPECT_EQ(parse_iso8601("2023-11-14T23:13:20.000005+01:00").value(), t);
  EXPECT_EQ(parse_iso8601("2023-11-14").value(), from_unix_seconds(1'699'920'000));
  EXPECT_EQ(format_iso8601(from_unix_seconds(0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_iso8601(from_unix_seconds(0) - std::chrono::microseconds(1)), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_iso8601(from_unix_seconds(9'000'000'000)), "2255-03-14T16:00:00.000000Z");
  EXPECT_EQ(format_iso8601(from_unix_seconds(-8'520'336'000)), "1700-01-01T00:00:00.000000Z");
}

TEST(Time, RejectsMalformedTimestamps) {
  for (const char* bad : {"", "2023-13-01T00:00:00Z", "2023-11-14T22:13:20", "yesterday", "2023-02-30",
                          "2023-11-14T25:00:00Z", "2023-11-14T22:13:20.Z"}) {
    EXPECT_FALSE(parse_iso8601(bad).has_value()) << bad;
  }
}

TEST(EntityJson, RoundTripsEveryField) {
  const auto entry = sample_entry();
  const auto json = to_json(entry, Embedding::include);
  EXPECT_EQ(json["execution_metadata"]["backend_used"], "rules");
  EXPECT_EQ(json["safety_metadata"]["risk_level"], "moderate");
  auto back = entry_from_json(json);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, entry);
}

TEST(EntityJson, EnforcesSeedValidationRules) {
  auto json = to_json(sample_entry(), Embedding::include);
  auto bad_id = json;
  bad_id["id"] = "42";
  EXPECT_FALSE(entry_from_json(bad_id).has_value());
  auto bad_score = json;
  bad_score["safety_metadata"]["safety_score"] = 1.5;
  EXPECT_FALSE(entry_from_json(bad_score).has_value());
  auto bad_vector = json;
  bad_vector["embedding_vector"] = nlohmann::json::array();
  EXPECT_FALSE(entry_from_json(bad_vector).has_value());
  auto bad_time = json;
  bad_time["timestamp"] = "last tuesday";
  EXPECT_FALSE(entry_from_json(bad_time).has_value());
}

TEST(Enums, ParseAndPrint) {
  for (auto level : {RiskLevel::safe, RiskLevel::moderate, RiskLevel::high, RiskLevel::critical}) {
    EXPECT_EQ(parse_risk_level(to_string(level)).value(), level);
  }
  EXPECT_FALSE(parse_backend_type("gpt").has_value());
  EXPECT_EQ(parse_shell_type("fish").value(), ShellType::fish);
}

}  // namespace
}  // namespace cmdai
