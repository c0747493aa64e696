// Text that is not plain ASCII on its way through `cmdai "…"`: a model's
// answer made of multi-byte characters that does not parse, a request that
// is not UTF-8, a working directory that is not UTF-8. Against a scripted
// OpenAI-compatible server whose requests can be read back. And a request
// too large to be one.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "tools/loopback_server.h"
#include "tools/openai_wire.h"

namespace cmdai::llm {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::openai_wire::command_answer;

testing::ProcessResult cmdai(const testing::TempDir& home, std::vector<std::string> args) {
  return testing::run_cmdai(home.path().string(), std::move(args));
}

// 80 three-byte characters and an unterminated quote: a command the
// validator cannot parse, longer than the 200 bytes a finding quotes.
std::string long_unparsable_command() {
  std::string command;
  for (int i = 0; i < 80; ++i) command += "\xe4\xbb\xa4";
  return command + " 'x";
}

std::vector<std::string> chat_bodies(const LoopbackServer& server) {
  std::vector<std::string> out;
  for (const auto& r : server.requests()) {
    if (r.path == "/v1/chat/completions") out.push_back(r.body);
  }
  return out;
}

TEST(ModelTextCli, LongMultibyteCommandThatDoesNotParsePrintsAsJson) {
  LoopbackServer server([](const RecordedRequest& r) { return command_answer(r, long_unparsable_command()); });
  testing::TempDir home;
  auto run = cmdai(home, {"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream", "--json",
                          "list files"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto out = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << run.out;
  EXPECT_EQ(out["command"], long_unparsable_command());
  EXPECT_EQ(out["risk_level"], "high");
  ASSERT_FALSE(out["validation"]["findings"].empty());
  EXPECT_EQ(run.out.find("\xef\xbf\xbd"), std::string::npos) << "nothing was cut inside a character";
}

TEST(ModelTextCli, RequestThatIsNotUtf8IsAClearErrorAndNothingIsSent) {
  LoopbackServer server([](const RecordedRequest& r) { return command_answer(r, "ls"); });
  testing::TempDir home;
  for (const std::string request : {"list \xc0\x80 files", "find caf\xe9.txt", "files \xed\xa0\x80"}) {
    auto run =
        cmdai(home, {"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream", request});
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find("the request is not valid UTF-8 (byte "), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("LANG"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("internal error"), std::string::npos) << run.err;
  }
  EXPECT_TRUE(chat_bodies(server).empty()) << "no model saw any of them";
}

TEST(ModelTextCli, WorkingDirectoryThatIsNotUtf8ReachesTheModelAsText) {
  LoopbackServer server([](const RecordedRequest& r) { return command_answer(r, "ls"); });
  testing::TempDir home;
  testing::TempDir parent;
  const auto odd = parent / "caf\xe9";
  std::filesystem::create_directory(odd);
  auto run = cmdai(home, {"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream", "--cwd",
                          odd.string(), "list files"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("ls\n", 0), 0u) << run.out;
  const auto bodies = chat_bodies(server);
  ASSERT_EQ(bodies.size(), 1u);
  const auto body = nlohmann::json::parse(bodies[0], nullptr, false);
  ASSERT_TRUE(body.is_object()) << "the request body is JSON";
  const std::string system = body["messages"][0]["content"];
  EXPECT_NE(system.find("caf\xef\xbf\xbd"), std::string::npos) << "the byte shown as U+FFFD";
}

// A request of 1 MB (ten arguments of 100 KB: one may hold 128 KiB) is
// refused with its size before any model sees it, and nothing is stored.
TEST(ModelTextCli, AMegabyteRequestIsRefusedWithItsSize) {
  LoopbackServer server([](const RecordedRequest& r) { return command_answer(r, "ls"); });
  testing::TempDir home;
  std::vector<std::string> args{"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream"};
  for (int i = 0; i < 10; ++i) args.push_back(std::string(100'000, 'a' + i));
  auto run = cmdai(home, args);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("the request is 1000009 bytes; cmdai takes requests of up to 64 KiB"), std::string::npos)
      << run.err.substr(0, 300);
  EXPECT_TRUE(chat_bodies(server).empty());
  auto listed = cmdai(home, {"history", "list", "--json"});
  EXPECT_EQ(listed.out.find("aaaa"), std::string::npos) << "nothing stored";
}

}  // namespace
}  // namespace cmdai::llm
