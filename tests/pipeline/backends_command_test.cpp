// The backends subcommands and --backend/--no-fallback, through the built
// cmdai binary with CMDAI_HOME in a temporary directory. Uses a dead
// loopback port, so whatever the server backends can do in this build, the
// instance is down.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

std::string dead_endpoint() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

class BackendsCommand : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args) {
    args.insert(args.begin(), CMDAI_BINARY);
    return testing::run_process(args, {{"CMDAI_HOME", m_home.path().string()}, {"NO_COLOR", "1"}});
  }
  testing::TempDir m_home;
  std::string m_dead = dead_endpoint();
};

TEST_F(BackendsCommand, ListShowsEveryInstanceWithTypeEndpointLocalityAndHealth) {
  // With a model named, listing asks no server: health shows what is cached.
  auto r =
      cmdai({"--backend", "ollama", "--endpoint", m_dead, "--model", "qwen2.5-coder", "backends", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["name"], "ollama");
  EXPECT_EQ(list[0]["endpoint"], m_dead);
  EXPECT_EQ(list[0]["local"], true);
  EXPECT_TRUE(list[0]["healthy"].is_null());
  EXPECT_TRUE(list[0]["p95_response_time"].is_null());
  EXPECT_EQ(list[1]["name"], "rules");
  auto plain = cmdai({"--list-backends"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("LAST CHECK"), std::string::npos);
  EXPECT_NE(plain.out.find("rules"), std::string::npos);
}

TEST_F(BackendsCommand, HealthChecksAllAndTheResultIsCachedForTheNextProcess) {
  auto r = cmdai({"--backend", "ollama", "--endpoint", m_dead, "backends", "health", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto checked = nlohmann::json::parse(r.out);
  EXPECT_EQ(checked[0]["healthy"], false);
  EXPECT_FALSE(checked[0]["last_health_check"].is_null());
  EXPECT_EQ(checked[1]["healthy"], true);
  auto again =
      nlohmann::json::parse(cmdai({"--backend", "ollama", "--endpoint", m_dead, "backends", "list", "--json"}).out);
  EXPECT_EQ(again[0]["last_health_check"], checked[0]["last_health_check"]);
}

TEST_F(BackendsCommand, NamedBackendDownFallsBackAndJsonTellsWhoAnswered) {
  auto r = cmdai({"--backend", "ollama", "--endpoint", m_dead, "--json", "show git status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["backend_used"], "rules");
  EXPECT_EQ(out["selection"]["instance"], "ollama") << "what was chosen, before it failed";
  EXPECT_NE(out["selection"]["selection_reason"].get<std::string>().find("prefer"), std::string::npos) << out;
  EXPECT_EQ(out["selection"]["fallback_chain"].back(), "rules") << out;
  EXPECT_NE(r.err.find("answered by rules instead"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  auto metrics =
      nlohmann::json::parse(cmdai({"--backend", "ollama", "--endpoint", m_dead, "backends", "metrics", "--json"}).out);
  EXPECT_EQ(metrics[0]["name"], "ollama");
  EXPECT_GE(metrics[0]["failed_requests"].get<int>(), 1);
  EXPECT_EQ(metrics[1]["successful_requests"], 1);
}

TEST_F(BackendsCommand, NoFallbackMakesItAnError) {
  auto r = cmdai(
      {"--backend", "ollama", "--endpoint", m_dead, "--model", "qwen2.5-coder", "--no-fallback", "show git status"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("--no-fallback"), std::string::npos) << r.err;
}

TEST_F(BackendsCommand, UnknownBackendGetsDidYouMeanAndTheList) {
  auto r = cmdai({"--backend", "olama", "show git status"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("did you mean 'ollama'?"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("known backends: auto, rules"), std::string::npos) << r.err;
}

TEST_F(BackendsCommand, ResetMetricsClearsThem) {
  ASSERT_EQ(cmdai({"show git status"}).exit_code, 0);
  ASSERT_EQ(cmdai({"backends", "reset-metrics"}).exit_code, 0);
  auto metrics = nlohmann::json::parse(cmdai({"backends", "metrics", "--json"}).out);
  EXPECT_EQ(metrics[0]["total_requests"], 0);
  auto bad = cmdai({"backends", "frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(BackendsCommand, RequirementFlagsSkipInstancesAndListSaysWhy) {
  const std::vector<std::string> base{"--backend",     "ollama",   "--endpoint",
                                      m_dead,          "--config", "backend.instances.ollama.context_length=2048",
                                      "--min-context", "4096"};
  auto args = base;
  args.insert(args.end(), {"backends", "list", "--json"});
  auto r = cmdai(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto list = nlohmann::json::parse(r.out);
  EXPECT_EQ(list[0]["context_length"], 2048);
  EXPECT_EQ(list[0]["context_source"], "configured");
  EXPECT_EQ(list[0]["skipped_because"], "context 2048 < 4096 tokens, configured");
  EXPECT_TRUE(list[1]["skipped_because"].is_null());
  args = base;
  args.insert(args.end(), {"backends", "list"});
  auto plain = cmdai(args);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("skipped: context 2048 < 4096 tokens"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("next request: rules"), std::string::npos) << plain.out;
  auto capability =
      cmdai({"--backend", "ollama", "--endpoint", m_dead, "--config", "backend.instances.ollama.capabilities=tools",
             "--require-capability", "vision", "--require-capability", "tools", "backends", "list", "--json"});
  ASSERT_EQ(capability.exit_code, 0) << capability.err;
  EXPECT_EQ(nlohmann::json::parse(capability.out)[0]["skipped_because"], "no vision capability (has tools)");
  auto bad = cmdai({"--min-context", "lots", "backends", "list"});
  EXPECT_NE(bad.err.find("--min-context"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace cmdai
