// A model's command gets the rule engine's value check: a command that
// drops or alters a value the request names is marked unverified - a plain
// warning line naming the value, the reason in the JSON `validation`, and
// with -x it is never run without a terminal to ask on. Against a scripted
// OpenAI-compatible server.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"
#include "tools/loopback_server.h"
#include "tools/openai_wire.h"

namespace cmdai::llm {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::openai_wire::command_answer;

testing::ProcessResult ask(const testing::TempDir& home, const LoopbackServer& server, std::vector<std::string> args) {
  std::vector<std::string> all{"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream"};
  all.insert(all.end(), args.begin(), args.end());
  return testing::run_cmdai(home.path().string(), all);
}

TEST(ModelValueCheck, AWidenedFileIsAWarningLineNamingIt) {
  LoopbackServer server([](const RecordedRequest& r) { return command_answer(r, "find . -iname '*.txt' -delete"); });
  testing::TempDir home;
  auto run = ask(home, server, {"delete the file Café.txt"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Unverified: the command does not contain 'Café.txt', which the request names"),
            std::string::npos)
      << run.out;
}

TEST(ModelValueCheck, ADroppedUserIsInTheJsonValidation) {
  LoopbackServer server([](const RecordedRequest& r) { return command_answer(r, "pkill -9 owned"); });
  testing::TempDir home;
  auto run = ask(home, server, {"--json", "force kill every process owned by anna"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto out = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << run.out;
  const auto& unverified = out["validation"]["unverified"];
  ASSERT_EQ(unverified.size(), 1U) << run.out;
  EXPECT_NE(unverified[0].get<std::string>().find("'anna'"), std::string::npos) << run.out;
}

TEST(ModelValueCheck, AKeptValueIsNoWarning) {
  LoopbackServer server([](const RecordedRequest& r) { return command_answer(r, "pkill -9 -u anna"); });
  testing::TempDir home;
  auto run = ask(home, server, {"--json", "force kill every process owned by anna"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto out = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << run.out;
  EXPECT_TRUE(out["validation"]["unverified"].empty()) << run.out;
}

// -x runs a safe command that keeps the value, and never runs one that
// drops it when there is no terminal to ask on.
TEST(ModelValueCheck, ExecuteAsksBeforeACommandThatDropsAValue) {
  testing::TempDir home;
  const auto kept = home / "keep.txt";
  const auto other = home / "other.txt";
  {
    LoopbackServer server([&](const RecordedRequest& r) { return command_answer(r, "touch '" + kept.string() + "'"); });
    auto run = ask(home, server, {"-x", "create the file keep.txt"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_TRUE(std::filesystem::exists(kept)) << run.out << run.err;
  }
  {
    LoopbackServer server(
        [&](const RecordedRequest& r) { return command_answer(r, "touch '" + other.string() + "'"); });
    auto run = ask(home, server, {"-x", "create the file keep.txt"});
    EXPECT_NE(run.exit_code, 0) << run.out << run.err;
    EXPECT_FALSE(std::filesystem::exists(other)) << run.out << run.err;
    EXPECT_NE((run.out + run.err).find("'keep.txt'"), std::string::npos) << run.out << run.err;
  }
}

}  // namespace
}  // namespace cmdai::llm
