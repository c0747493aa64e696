// Discovery: where it looks (OLLAMA_HOST in every form Ollama accepts, moved
// and disabled ports), the port check, probing real loopback sockets (the
// Ollama wire format for the server that answers, free ports for those that
// do not), what the health cache then holds, and the instances built from it.

#include "routing/discovery.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "routing/model_choice.h"
#include "routing/port_check.h"
#include "support/fake_env.h"
#include "tools/llama_server.h"
#include "tools/ollama_wire.h"

namespace cmdai::routing {
namespace {

namespace wire = testing::ollama_wire;

std::string ollama(std::string_view host) {
  std::vector<std::string> warnings;
  auto endpoint = ollama_endpoint(host, warnings);
  return endpoint ? *endpoint : "error: " + endpoint.error().message;
}

TEST(Discovery, OllamaHostIsReadTheWayOllamaReadsIt) {
  EXPECT_EQ(ollama(""), "http://127.0.0.1:11434");
  EXPECT_EQ(ollama("0.0.0.0"), "http://127.0.0.1:11434") << "every interface, to a client: this machine";
  EXPECT_EQ(ollama("0.0.0.0:12345"), "http://127.0.0.1:12345");
  EXPECT_EQ(ollama(":12345"), "http://127.0.0.1:12345");
  EXPECT_EQ(ollama("127.0.0.1:9"), "http://127.0.0.1:9");
  EXPECT_EQ(ollama("gpu-box"), "http://gpu-box:11434");
  EXPECT_EQ(ollama("gpu-box:8000"), "http://gpu-box:8000");
  EXPECT_EQ(ollama("http://127.0.0.1:11500"), "http://127.0.0.1:11500");
  EXPECT_EQ(ollama("http://gpu-box"), "http://gpu-box:80") << "a scheme without a port means its port, as in Ollama";
  EXPECT_EQ(ollama("https://gpu-box/"), "https://gpu-box:443");
  EXPECT_EQ(ollama("[::]:11434"), "http://[::1]:11434");
  EXPECT_EQ(ollama("::1"), "http://[::1]:11434");
  EXPECT_EQ(ollama("  127.0.0.1:11434\n"), "http://127.0.0.1:11434");
  EXPECT_EQ(ollama("ftp://x"), "error: OLLAMA_HOST has the scheme 'ftp'");
  std::vector<std::string> warnings;
  EXPECT_EQ(ollama_endpoint("localhost:99999", warnings).value(), "http://localhost:11434");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("'99999'"), std::string::npos) << warnings[0];
}

TEST(Discovery, PortsCanBeMovedOrTurnedOffAndBadValuesAreNamed) {
  auto ports = parse_discovery_ports(" ollama=11500, vllm=0 ,lmstudio=1235");
  ASSERT_TRUE(ports) << ports.error().describe();
  EXPECT_EQ(ports->at("ollama"), 11500);
  EXPECT_EQ(ports->at("vllm"), 0);
  EXPECT_TRUE(parse_discovery_ports("").value().empty());
  for (const char* bad : {"olama=1", "ollama", "ollama=70000", "vllm=-1", "vllm=8k"}) {
    auto parsed = parse_discovery_ports(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(parsed.error().message.find(bad), std::string::npos) << parsed.error().message;
  }
}

TEST(Discovery, TargetsAreLoopbackOnlyUnlessTheUserNamedAHost) {
  std::vector<std::string> warnings;
  auto targets = discovery_targets({}, warnings);
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[0].endpoint, "http://127.0.0.1:11434");
  EXPECT_EQ(targets[1].endpoint, "http://127.0.0.1:8080");
  EXPECT_EQ(targets[1].server, "llama-server");
  EXPECT_EQ(targets[2].endpoint, "http://127.0.0.1:1234");
  EXPECT_EQ(targets[3].endpoint, "http://127.0.0.1:8000");
  EXPECT_EQ(targets[3].type, BackendType::vllm);
  for (const auto& target : targets) EXPECT_TRUE(is_loopback_endpoint(target.endpoint)) << target.endpoint;

  DiscoverySettings settings;
  settings.ollama_host = "gpu-box:11434";
  settings.ports = {{"ollama", 11500}, {"llama-server", 0}, {"vllm", 8001}};
  targets = discovery_targets(settings, warnings);
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0].endpoint, "http://gpu-box:11434") << "OLLAMA_HOST wins over a moved port";
  EXPECT_TRUE(targets[0].named_by_user);
  EXPECT_EQ(targets[1].server, "lmstudio");
  EXPECT_EQ(targets[2].endpoint, "http://127.0.0.1:8001");
  settings.ports["ollama"] = 0;
  targets = discovery_targets(settings, warnings);
  EXPECT_EQ(targets.front().server, "lmstudio") << "0 turns a server off, OLLAMA_HOST or not";
  EXPECT_TRUE(warnings.empty());
}

TEST(PortCheck, AClosedPortRefusesAListeningOneAcceptsANameIsLeftToHttp) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string open = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/v1";
  const std::string closed = "http://127.0.0.1:" + std::to_string(testing::free_loopback_port());
  const std::vector<std::string> endpoints{open, closed, "http://localhost:11434", "not a url", "http://[::1]:1"};
  const auto states = check_ports(endpoints, std::chrono::milliseconds{1000});
  ::close(fd);
  ASSERT_EQ(states.size(), endpoints.size());
  EXPECT_EQ(states[0], PortState::accepting);
  EXPECT_EQ(states[1], PortState::refused);
  EXPECT_EQ(states[2], PortState::unknown);
  EXPECT_EQ(states[3], PortState::unknown);
  EXPECT_NE(states[4], PortState::accepting);
}

class DiscoveryProbeTest : public ::testing::Test {
 protected:
  HealthChecker checker() const {
    return HealthChecker(default_backend_factory(), [this] { return m_env.now(); });
  }
  std::vector<HealthRecord> probe(const std::vector<DiscoveryTarget>& targets) {
    std::vector<BackendInstance> servers;
    for (const auto& target : targets) servers.push_back(target_instance(target));
    return probe_servers(servers, checker(), m_monitor, [this] { return m_env.now(); }, {});
  }

  testing::FakeEnv m_env;
  PerformanceMonitor m_monitor;
  testing::LoopbackServer m_ollama{[](const testing::RecordedRequest& r) {
    if (r.path != "/api/tags") return wire::json_body(404, R"({"error":"not found"})");
    return wire::json_body(200, wire::tags_body_of({wire::tags_entry("nomic-embed-text:latest", "nomic-bert"),
                                                    wire::tags_entry("llama3.2:3b", "llama"),
                                                    wire::tags_entry("qwen2.5-coder:1.5b", "qwen2")}));
  }};
};

TEST_F(DiscoveryProbeTest, AnswersAndSilencesGoIntoTheHealthCacheWithTheModelList) {
  DiscoverySettings settings;
  settings.ollama_host = m_ollama.url();
  const int closed = testing::free_loopback_port();
  settings.ports = {{"llama-server", closed}, {"lmstudio", 0}, {"vllm", 0}};
  std::vector<std::string> warnings;
  const auto targets = discovery_targets(settings, warnings);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_FALSE(discovery_fresh(cached_servers(targets, m_monitor), m_env.now())) << "never looked";
  const auto records = probe(targets);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].healthy) << records[0].detail;
  EXPECT_EQ(records[0].models.size(), 3u);
  EXPECT_EQ(records[0].embedding_models, (std::vector<std::string>{"nomic-embed-text:latest"}));
  EXPECT_FALSE(records[1].healthy);
  EXPECT_EQ(records[1].detail, "nothing listening") << "refused before any HTTP";

  const auto servers = cached_servers(targets, m_monitor);
  EXPECT_TRUE(discovery_fresh(servers, m_env.now()));
  EXPECT_TRUE(any_answered(servers));
  m_env.advance(k_health_ttl + std::chrono::seconds(1));
  EXPECT_FALSE(discovery_fresh(servers, m_env.now())) << "a record lives for the health TTL";

  const auto instances = discovered_instances(servers, {});
  ASSERT_EQ(instances.size(), 1u);
  EXPECT_EQ(instances[0].name, "ollama");
  EXPECT_EQ(instances[0].origin, InstanceOrigin::discovered);
  EXPECT_EQ(instances[0].model, "qwen2.5-coder:1.5b");
  EXPECT_EQ(instances[0].model_reason, "a code model, of 3 listed");
  EXPECT_EQ(instances[0].endpoint, m_ollama.url());
}

TEST_F(DiscoveryProbeTest, AConfiguredServerIsNotDiscoveredAgainAndNamesNeverClash) {
  DiscoverySettings settings;
  settings.ollama_host = m_ollama.url();
  settings.ports = {{"llama-server", 0}, {"lmstudio", 0}, {"vllm", 0}};
  std::vector<std::string> warnings;
  const auto targets = discovery_targets(settings, warnings);
  probe(targets);
  const auto servers = cached_servers(targets, m_monitor);
  BackendInstance same;
  same.name = "home";
  same.type = BackendType::ollama;
  same.endpoint = m_ollama.url() + "/";
  EXPECT_TRUE(discovered_instances(servers, std::vector<BackendInstance>{same}).empty());
  BackendInstance elsewhere = same;
  elsewhere.name = "ollama";
  elsewhere.endpoint = "http://192.0.2.1:11434";
  const auto found = discovered_instances(servers, std::vector<BackendInstance>{elsewhere});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "ollama-" + std::to_string(m_ollama.port()));
}

TEST(ModelChoice, CodeModelsFirstThenInstructNeverEmbeddingOnly) {
  const std::vector<std::string> none;
  std::vector<std::string> models{"nomic-embed-text:latest", "llama3.2:3b", "mistral:7b-instruct",
                                  "deepseek-coder:6.7b", "qwen2.5-coder:1.5b"};
  auto choice = choose_model(models, none);
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->model, "deepseek-coder:6.7b") << "the server's order decides within a tier";
  EXPECT_EQ(choice->reason, "a code model, first of 2 such among 5 listed");
  models = {"all-minilm", "llama3.2:3b", "mistral:7b-instruct"};
  EXPECT_EQ(choose_model(models, none)->model, "mistral:7b-instruct");
  EXPECT_NE(choose_model(models, none)->reason.find("instruct/chat"), std::string::npos);
  models = {"bge-m3", "llama3.2:3b"};
  EXPECT_EQ(choose_model(models, none)->model, "llama3.2:3b");
  models = {"nomic-embed-text", "mxbai-embed-large", "all-minilm:l6-v2"};
  EXPECT_FALSE(choose_model(models, none)) << "nothing here can answer a request";
  EXPECT_EQ(choose_embedding_model(models, none)->model, "nomic-embed-text");
  const std::vector<std::string> marked{"house-special"};
  models = {"house-special", "codellama:7b"};
  EXPECT_EQ(choose_model(models, marked)->model, "codellama:7b");
  EXPECT_EQ(choose_embedding_model(models, marked)->model, "house-special");
  models = {"/models/Qwen2.5-Coder-1.5B-Instruct-Q4_K_M.gguf"};
  EXPECT_EQ(choose_model(models, none)->model, models[0]) << "a path is read by its file name";
  EXPECT_EQ(choose_model(models, none)->reason, "a code model");
  EXPECT_FALSE(choose_model({}, none));
}

TEST(MetricsKey, WhatWasMeasuredNotTheName) {
  EXPECT_EQ(metrics_key(BackendType::ollama, "http://127.0.0.1:11434/", "qwen"), "ollama|http://127.0.0.1:11434|qwen");
  EXPECT_EQ(metrics_key(BackendType::openai, "http://127.0.0.1:8080/v1/", ""), "openai|http://127.0.0.1:8080|");
  EXPECT_EQ(metrics_key(BackendType::openai, "http://127.0.0.1:8080", ""), "openai|http://127.0.0.1:8080|");
  EXPECT_NE(metrics_key(BackendType::vllm, "http://127.0.0.1:8080", ""),
            metrics_key(BackendType::openai, "http://127.0.0.1:8080", ""));
  auto parts = parse_metrics_key("vllm|http://h:8000|Qwen/Qwen2.5");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->type, BackendType::vllm);
  EXPECT_EQ(parts->endpoint, "http://h:8000");
  EXPECT_EQ(parts->model, "Qwen/Qwen2.5");
  EXPECT_FALSE(parse_metrics_key("gpu1"));
  EXPECT_FALSE(parse_metrics_key("nonsense|a|b"));
}

}  // namespace
}  // namespace cmdai::routing
