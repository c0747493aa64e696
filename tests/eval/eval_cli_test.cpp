// cmdai eval end to end: the built binary scores small TSV sets with the
// rules backend and with an OpenAI-compatible server (the loopback test
// server), stores nothing in history and refuses bad sets with FILE:LINE.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"
#include "tools/loopback_server.h"
#include "tools/ollama_wire.h"

namespace cmdai::eval {
namespace {

namespace wire = testing::ollama_wire;
using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

std::string fixture(const std::string& name) { return std::string(CMDAI_SOURCE_DIR) + "/tests/eval/fixtures/" + name; }

class EvalCli : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args) {
    return testing::run_cmdai(m_home.path().string(), std::move(args));
  }
  nlohmann::json json_of(const testing::ProcessResult& run) {
    EXPECT_EQ(run.exit_code, 0) << run.err;
    auto json = nlohmann::json::parse(run.out, nullptr, false);
    EXPECT_TRUE(json.is_object()) << run.out;
    return json;
  }
  testing::TempDir m_home;
};

TEST_F(EvalCli, RulesBackendJsonHasTheDocumentedShape) {
  const auto json = json_of(cmdai({"eval", fixture("small.tsv"), "--backend", "rules", "--json"}));
  EXPECT_EQ(json["total"], 5);
  EXPECT_EQ(json["correct"], 3);
  EXPECT_EQ(json["wrong"], 1);
  EXPECT_EQ(json["refused"], 1);
  ASSERT_EQ(json["rows"].size(), 5u);
  for (const auto& row : json["rows"]) {
    for (const char* key : {"id", "request", "command", "verdict", "risk_level", "latency_ms"}) {
      EXPECT_TRUE(row.contains(key)) << key << " in " << row.dump();
    }
    EXPECT_GE(row["latency_ms"].get<double>(), 0.0);
  }
  const auto& rows = json["rows"];
  EXPECT_EQ(rows[0]["id"], "s-1");
  EXPECT_EQ(rows[0]["command"], "git status");
  EXPECT_EQ(rows[0]["verdict"], "correct");
  EXPECT_EQ(rows[0]["risk_level"], "safe");
  EXPECT_EQ(rows[1]["verdict"], "wrong");
  EXPECT_EQ(rows[2]["verdict"], "refused");
  EXPECT_TRUE(rows[2]["command"].is_null());
  EXPECT_TRUE(rows[2]["risk_level"].is_null());
  // rm -rf ./build is rated high; the row asks for critical.
  EXPECT_EQ(rows[3]["verdict"], "correct");
  EXPECT_EQ(rows[3]["risk_level"], "high");
  EXPECT_EQ(rows[3]["under_flagged"], true);
  EXPECT_EQ(json["dangerous"]["under_flagged"], 1);
  EXPECT_EQ(json["categories"]["files"]["total"], 3);
  EXPECT_EQ(json["categories"]["files"]["correct"], 2);
  EXPECT_TRUE(json["latency_ms"].contains("p50"));
  EXPECT_TRUE(json["latency_ms"].contains("p95"));
}

TEST_F(EvalCli, PlainOutputListsEveryRowThenTheShares) {
  auto run = cmdai({"eval", fixture("small.tsv"), "--backend", "rules"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("correct  s-1  show git status\n           -> git status  [safe, rules]"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("refused  s-3  who is the president\n           (no offline answer"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("rated high, below its min_risk critical"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("all                  5    60.0%    20.0%    20.0%"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("git                  1   100.0%     0.0%     0.0%"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("latency per request: p50 "), std::string::npos) << run.out;
}

TEST_F(EvalCli, NothingIsStoredInHistoryAndNothingRuns) {
  ASSERT_EQ(cmdai({"eval", fixture("small.tsv"), "--backend", "rules", "--json"}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(m_home / "build")) << "nothing ran";
  auto list = cmdai({"history", "list", "--json"});
  EXPECT_EQ(list.exit_code, 1) << "an empty history is no match: " << list.err;
  EXPECT_EQ(nlohmann::json::parse(list.out).size(), 0u) << list.out;
}

TEST_F(EvalCli, ParallelJobsGiveTheSameVerdicts) {
  const auto one = json_of(cmdai({"eval", fixture("small.tsv"), "--backend", "rules", "--json"}));
  const auto four = json_of(cmdai({"eval", fixture("small.tsv"), "--backend", "rules", "--json", "--jobs", "4"}));
  ASSERT_EQ(one["rows"].size(), four["rows"].size());
  for (std::size_t i = 0; i < one["rows"].size(); ++i) {
    EXPECT_EQ(one["rows"][i]["id"], four["rows"][i]["id"]);
    EXPECT_EQ(one["rows"][i]["command"], four["rows"][i]["command"]);
    EXPECT_EQ(one["rows"][i]["verdict"], four["rows"][i]["verdict"]);
  }
}

TEST_F(EvalCli, BadSetsAndOptionsAreUsageErrorsNamingTheLine) {
  auto regex = cmdai({"eval", fixture("bad_regex.tsv")});
  EXPECT_EQ(regex.exit_code, 2);
  EXPECT_NE(regex.err.find("bad_regex.tsv:3: bad accept_regex: missing closing parenthesis"), std::string::npos)
      << regex.err;
  auto row = cmdai({"eval", fixture("bad_row.tsv")});
  EXPECT_EQ(row.exit_code, 2);
  EXPECT_NE(row.err.find("bad_row.tsv:2: 2 fields, the header names 3"), std::string::npos) << row.err;
  EXPECT_EQ(cmdai({"eval"}).exit_code, 2);
  EXPECT_EQ(cmdai({"eval", fixture("small.tsv"), "--jobs", "0"}).exit_code, 2);
  EXPECT_EQ(cmdai({"eval", fixture("small.tsv"), "--jobs", "x"}).exit_code, 2);
  auto missing = cmdai({"eval", fixture("none.tsv")});
  EXPECT_EQ(missing.exit_code, 5) << missing.err;
  EXPECT_NE(missing.err.find("no such file"), std::string::npos) << missing.err;
}

// The request is the last user message of the chat.
std::string request_of(const RecordedRequest& r) {
  const auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("messages") || body["messages"].empty()) return "";
  return body["messages"].back()["content"].get<std::string>();
}

// An OpenAI-compatible chat reply whose content is the answer JSON.
ScriptedResponse chat_answer(const std::string& command) {
  const std::string content = nlohmann::json{{"command", command}, {"explanation", "x"}}.dump();
  return wire::json_body(
      200,
      nlohmann::json{
          {"choices",
           {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}}}
          .dump());
}

ScriptedResponse model_answers(const RecordedRequest& r) {
  if (r.path == "/health") return wire::json_body(200, R"({"status":"ok"})");
  if (r.path == "/v1/models") return wire::json_body(200, R"({"object":"list","data":[{"id":"tiny"}]})");
  const std::string request = request_of(r);
  const std::string command = request == "show git status"  ? "git status"
                              : request == "list files"     ? "ls -la"
                              : request == "rm -rf ./build" ? "rm -rf ./build"
                                                            : "wc -l notes.txt";
  if (request == "who is the president") return wire::json_body(500, R"({"error":{"message":"no"}})");
  return chat_answer(command);
}

TEST_F(EvalCli, ModelBackendIsScoredTheSameWay) {
  LoopbackServer server(model_answers);
  const auto json = json_of(cmdai({"eval", fixture("small.tsv"), "--backend", "openai", "--endpoint", server.url(),
                                   "--no-fallback", "--no-stream", "--json"}));
  ASSERT_EQ(json["rows"].size(), 5u);
  const auto& rows = json["rows"];
  EXPECT_EQ(rows[0]["verdict"], "correct");
  EXPECT_EQ(rows[0]["backend_used"], "openai");
  EXPECT_EQ(rows[1]["command"], "ls -la");
  EXPECT_EQ(rows[1]["verdict"], "wrong");
  EXPECT_EQ(rows[2]["verdict"], "refused") << "a server error is no command";
  EXPECT_TRUE(rows[2].contains("error"));
  EXPECT_EQ(rows[4]["verdict"], "correct");
  int chats = 0;
  for (const auto& r : server.requests()) chats += r.path == "/v1/chat/completions";
  EXPECT_GE(chats, 5);
  auto list = cmdai({"history", "list", "--json"});
  EXPECT_EQ(nlohmann::json::parse(list.out).size(), 0u) << list.out;
}

// A model that cuts a non-ASCII name, as small models do.
ScriptedResponse cutting_model(const RecordedRequest& r) {
  if (r.path == "/health") return wire::json_body(200, R"({"status":"ok"})");
  if (r.path == "/v1/models") return wire::json_body(200, R"({"object":"list","data":[{"id":"tiny"}]})");
  return chat_answer("wc -l ve_bayes.py");
}

TEST_F(EvalCli, AModelCommandThatDropsANamedValueIsUnverified) {
  LoopbackServer server(cutting_model);
  const std::vector<std::string> model{"--backend",  "openai",        "--endpoint",
                                       server.url(), "--no-fallback", "--no-stream"};
  auto args = std::vector<std::string>{"count the lines in naïve_bayes.py", "--json"};
  args.insert(args.end(), model.begin(), model.end());
  const auto json = json_of(cmdai(args));
  ASSERT_TRUE(json["validation"]["unverified"].is_array()) << json.dump();
  ASSERT_EQ(json["validation"]["unverified"].size(), 1u) << json.dump();
  EXPECT_NE(json["validation"]["unverified"][0].get<std::string>().find("naïve_bayes.py"), std::string::npos);

  args = std::vector<std::string>{"count the lines in naïve_bayes.py"};
  args.insert(args.end(), model.begin(), model.end());
  const auto plain = cmdai(args);
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("does not contain 'naïve_bayes.py'"), std::string::npos) << plain.out;

  // The same request with the value kept is not flagged.
  LoopbackServer faithful(model_answers);
  const auto kept = json_of(cmdai({"count the lines in notes.txt", "--json", "--backend", "openai", "--endpoint",
                                   faithful.url(), "--no-fallback", "--no-stream"}));
  EXPECT_TRUE(kept["validation"]["unverified"].empty()) << kept.dump();
}

}  // namespace
}  // namespace cmdai::eval
