#include "history/jsonl_record.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/entity_json.h"
#include "core/time.h"
#include "core/uuid.h"

namespace cmdai::history {
namespace {

// The line read as a whole document and then as an entry: what the JSONL
// import did before it read lines without building a document, and what it
// must still accept and reject, with the same messages.
Result<HistoryRecord> read_through_document(std::string_view line) {
  auto json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded()) return fail(ErrorCode::invalid_argument, "not valid JSON");
  if (!json.is_object()) return fail(ErrorCode::invalid_argument, "a history entry must be a JSON object");
  if (!json.contains("id") || json["id"].is_null()) json["id"] = make_uuid_v4();
  if (json["id"].is_string() && !is_uuid_v4(json["id"].get<std::string>())) {
    return fail(ErrorCode::invalid_argument, "id '" + json["id"].get<std::string>() + "' is not a UUID v4");
  }
  auto entry = entry_from_json(json);
  if (!entry) return fail(entry.error());
  HistoryRecord record;
  record.entry = std::move(*entry);
  if (auto it = json.find("favorite"); it != json.end() && it->is_boolean()) record.favorite = it->get<bool>();
  if (auto it = json.find("use_count"); it != json.end() && it->is_number_integer()) {
    record.use_count = std::max<std::int64_t>(0, it->get<std::int64_t>());
  }
  return record;
}

Result<HistoryRecord> read_line(std::string_view line) {
  HistoryRecord record;
  CMDAI_TRY(record_from_json_line(line, record));
  return record;
}

void expect_read_alike(const std::string& line) {
  SCOPED_TRACE(line);
  const auto expected = read_through_document(line);
  const auto got = read_line(line);
  ASSERT_EQ(got.has_value(), expected.has_value()) << (got ? expected.error().message : got.error().message);
  if (!expected) {
    EXPECT_EQ(got.error().code, expected.error().code);
    EXPECT_EQ(got.error().message, expected.error().message);
    return;
  }
  auto want = *expected;
  // A line without an id gets a new one each time it is read.
  const bool own_id = line.find("\"id\"") == std::string::npos || line.find("\"id\":null") != std::string::npos;
  if (own_id) {
    EXPECT_TRUE(is_uuid_v4(got->entry.id));
    want.entry.id = got->entry.id;
  }
  EXPECT_EQ(got->entry, want.entry);
  EXPECT_EQ(got->favorite, want.favorite);
  EXPECT_EQ(got->use_count, want.use_count);
}

const std::string k_id = "6513270e-269e-4d37-b2a7-4de452e6b438";
const std::string k_head = R"({"id":")" + k_id + R"(","timestamp":"2023-11-14T22:13:20Z",)";

TEST(JsonlRecord, ReadsWhatTheBenchmarkWrites) {
  expect_read_alike(R"({"id": ")" + k_id +
                    R"(", "timestamp": "2023-11-14T22:13:20Z", "command": "git log --oneline # 4389", )"
                    R"("explanation": "", "shell_type": "bash", "working_directory": "/home/me/src/api", )"
                    R"("execution_metadata": {"exit_code": 0, "backend_used": "shell"}})");
  const auto record = read_line(k_head + R"("command":"ls","shell_type":"fish","favorite":true,"use_count":7})");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->entry.command, "ls");
  EXPECT_EQ(record->entry.shell_type, ShellType::fish);
  EXPECT_TRUE(record->favorite);
  EXPECT_EQ(record->use_count, 7);
}

TEST(JsonlRecord, EveryFieldAsExportWritesIt) {
  CommandHistoryEntry entry;
  entry.id = k_id;
  entry.timestamp = from_unix_seconds(1'650'000'000);
  entry.command = "kubectl get pods";
  entry.user_input = "list pods";
  entry.explanation = "lists pods";
  entry.shell_type = ShellType::zsh;
  entry.working_directory = "/srv";
  entry.safety_metadata = SafetyMetadata{RiskLevel::moderate, {"k8s", "net"}, true, 0.7};
  entry.execution_metadata = ExecutionMetadata{3, Micros{1200}, 10, "ollama", Micros{5000}, Micros{30}};
  entry.tags = {"a", "b"};
  entry.relevance_score = 0.25;
  auto json = to_json(entry, Embedding::include);
  json["embedding_vector"] = std::vector<float>{0.5F, -1.0F, 2.0F};
  json["favorite"] = false;
  json["use_count"] = 3;
  expect_read_alike(json.dump());
  expect_read_alike(json.dump(2));  // whitespace and newlines inside the object
}

TEST(JsonlRecord, MalformedLinesAreNotValidJson) {
  for (const std::string line :
       {"{not json", "{", "}", "", "   ", "{\"command\":\"x\"", "{\"command\":\"x\"}}", "{\"command\":\"x\"} extra",
        "{\"command\":\"x\",}", "{'command':'x'}", "{\"command\":\"x\"}/* c */", "{\"a\":[1,2}", "{\"a\":01}",
        "{\"a\":1.}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"tab\there\"}", "nul", "{\"command\":\"\\uZZZZ\"}"}) {
    expect_read_alike(line);
    EXPECT_EQ(read_line(line).error().message, "not valid JSON") << line;
  }
}

TEST(JsonlRecord, EscapesSurrogatesAndInvalidUtf8AsTheDocumentParserReadsThem) {
  const std::vector<std::string> commands{
      R"(echo \"quoted\" \\ back\/slash \b\f\n\r\t)",
      R"(caf\u00e9 \u20ac)",
      R"(pile \ud83d\udca9 of)",           // a surrogate pair
      R"(lone \ud83d high)",               // a lone high surrogate: invalid
      R"(lone \udca9 low)",                // a lone low surrogate: invalid
      R"(\ud83d\u0041 not a pair)",        // a high surrogate without its low half
      "raw caf\xc3\xa9 \xf0\x9f\x92\xa9",  // valid UTF-8 as it is
      "bad caf\xe9",                       // invalid UTF-8
      "overlong \xc0\xaf",
      "encoded surrogate \xed\xa0\x80",
      "nul \\u0000 inside",
  };
  for (const auto& command : commands) expect_read_alike(k_head + R"("command":")" + command + "\"}");
}

TEST(JsonlRecord, WrongShapesGiveTheSameErrorsInTheSameOrder) {
  for (const std::string rest : {
           R"("command":"x"})",
           R"("command":5})",
           R"("command":null})",
           R"("explanation":"e"})",
           R"("command":"x","user_input":3})",
           R"("command":"x","user_input":null})",
           R"("command":"x","explanation":[]})",
           R"("command":"x","shell_type":"tcsh"})",
           R"("command":"x","shell_type":""})",
           R"("command":"x","working_directory":{}})",
           R"("command":"x","execution_metadata":[1]})",
           R"("command":"x","execution_metadata":{"exit_code":1.5}})",
           R"("command":"x","execution_metadata":{"exit_code":-2,"output_size":-1,"execution_time":"slow"}})",
           R"("command":"x","execution_metadata":{"backend_used":7}})",
           R"("command":"x","execution_metadata":null,"safety_metadata":null})",
           R"("command":"x","safety_metadata":{"risk_level":"extreme"}})",
           R"("command":"x","safety_metadata":{"patterns_matched":["a"]}})",
           R"("command":"x","safety_metadata":{"risk_level":"safe","patterns_matched":[1]}})",
           R"("command":"x","safety_metadata":{"risk_level":"high","user_confirmed":1,"safety_score":"9"}})",
           R"("command":"x","tags":"one"})",
           R"("command":"x","tags":["a",["b"]]})",
           R"("command":"x","tags":null})",
           R"("command":"x","embedding_vector":[1,"2"]})",
           R"("command":"x","embedding_vector":{"a":1}})",
           R"("command":"x","embedding_vector":[1,-2,3.5,1e40]})",
           R"("command":"x","relevance_score":"high"})",
           R"("command":"x","relevance_score":-1})",
           R"("command":"","explanation":""})",
           R"("command":"x","favorite":"yes","use_count":-4})",
           R"("command":"x","favorite":true,"use_count":2.5})",
           R"("command":"x","use_count":18446744073709551615})",
           R"("command":"x","use_count":9223372036854775807})",
       }) {
    expect_read_alike(k_head + rest);
  }
  for (const std::string line : {
           R"([1,2,3])",
           R"("a string")",
           R"(42)",
           R"(null)",
           R"({"timestamp":"2024-01-01T00:00:00Z","command":"no id"})",
           R"({"id":null,"timestamp":"2024-01-01T00:00:00Z","command":"null id"})",
           R"({"id":"not-a-uuid","timestamp":"2024-01-01T00:00:00Z","command":"x"})",
           R"({"id":7,"timestamp":"2024-01-01T00:00:00Z","command":"x"})",
           R"({"id":"6513270E-269E-4D37-B2A7-4DE452E6B438","timestamp":"2024-01-01T00:00:00Z","command":"x"})",
           R"({"id":"6513270e-269e-4d37-b2a7-4de452e6b438","timestamp":"yesterday","command":"x"})",
           R"({"id":"6513270e-269e-4d37-b2a7-4de452e6b438","timestamp":5,"command":"x"})",
       }) {
    expect_read_alike(line);
  }
}

TEST(JsonlRecord, UnknownFieldsAreSkippedAndTheLastOfARepeatedKeyCounts) {
  for (const std::string rest : {
           R"("command":"x","extra":{"command":"nested","tags":[1,{"a":[]}]},"more":[[],{}],"n":null})",
           R"("command":"first","command":"second"})",
           R"("command":"x","tags":["a"],"tags":"not an array"})",
           R"("command":"x","tags":"not an array","tags":["a"]})",
           R"("command":"x","execution_metadata":{"exit_code":1},"execution_metadata":{"exit_code":2,"exit_code":3}})",
           R"("command":"x","safety_metadata":{"risk_level":"high"},"safety_metadata":null})",
           R"("command":"x","favorite":true,"favorite":false})",
       }) {
    expect_read_alike(k_head + rest);
  }
  const auto record = read_line(k_head + R"("command":"x","extra":{"command":"nested"}})");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->entry.command, "x");
}

}  // namespace
}  // namespace cmdai::history
