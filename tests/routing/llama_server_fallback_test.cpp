// Integration: two real llama-server processes on loopback plus one dead
// port, all as OpenAI-compatible instances. One server is killed mid-run;
// requests keep succeeding through the other and the metrics show the
// failure.
//
// Needs the llama-server binary (CMDAI_LLAMA_SERVER), a tiny chat model
// (CMDAI_TEST_CHAT_MODEL, or tests/tiny-models/chat.gguf in the build tree)
// and a working openai backend; skipped with the reason when one is missing.

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "routing/dispatcher.h"
#include "routing/health_checker.h"
#include "routing/selector.h"
#include "support/fake_env.h"

extern char** environ;

namespace cmdai::routing {
namespace {

// A port the OS just handed out and nobody listens on now.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    return -1;
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

class LlamaServer {
 public:
  LlamaServer(const std::string& model, int port) : m_port(port) {
    std::vector<std::string> args{CMDAI_LLAMA_SERVER,
                                  "-m",
                                  model,
                                  "--host",
                                  "127.0.0.1",
                                  "--port",
                                  std::to_string(port),
                                  "-c",
                                  "512",
                                  "-np",
                                  "1",
                                  "-t",
                                  "1",
                                  "--no-webui"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (::posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) m_pid = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~LlamaServer() { kill(); }
  LlamaServer(const LlamaServer&) = delete;
  LlamaServer& operator=(const LlamaServer&) = delete;

  // Polls /health until the model is loaded; false after 60 s or if the process died.
  bool wait_ready() const {
    httplib::Client client("127.0.0.1", m_port);
    client.set_connection_timeout(std::chrono::milliseconds(200));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline && ::waitpid(m_pid, nullptr, WNOHANG) == 0) {
      if (auto response = client.Get("/health"); response && response->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a condition, not waiting out time
    }
    return false;
  }
  void kill() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  bool started() const { return m_pid > 0; }

 private:
  int m_port;
  pid_t m_pid = -1;
};

std::filesystem::path chat_model() {
  if (const char* env = std::getenv("CMDAI_TEST_CHAT_MODEL")) return env;
  return std::filesystem::path(CMDAI_BINARY).parent_path() / "tests" / "tiny-models" / "chat.gguf";
}

BackendInstance openai(const std::string& name, const std::string& endpoint) {
  BackendInstance instance;
  instance.name = name;
  instance.type = BackendType::openai;
  instance.endpoint = endpoint;
  instance.model = "chat";
  instance.timeout = std::chrono::milliseconds(20'000);
  instance.retries = 0;
  return instance;
}

TEST(LlamaServerFallback, KillingOneServerMidRunKeepsRequestsSucceedingAndShowsInMetrics) {
  const auto model = chat_model();
  if (!std::filesystem::exists(CMDAI_LLAMA_SERVER)) GTEST_SKIP() << "no llama-server at " << CMDAI_LLAMA_SERVER;
  if (!std::filesystem::exists(model))
    GTEST_SKIP() << "no tiny chat model at " << model << " (set CMDAI_TEST_CHAT_MODEL)";
  LlamaServer a(model.string(), free_port());
  LlamaServer b(model.string(), free_port());
  ASSERT_TRUE(a.started() && b.started());
  ASSERT_TRUE(a.wait_ready()) << "llama-server a did not become ready";
  ASSERT_TRUE(b.wait_ready()) << "llama-server b did not become ready";
  const std::string dead = "http://127.0.0.1:" + std::to_string(free_port());
  if (auto probe = default_backend_factory()(openai("probe", a.endpoint())); !probe) {
    GTEST_SKIP() << "the openai backend cannot be created here: " << probe.error().describe();
  }

  testing::FakeEnv env;
  auto registry = Registry::create({openai("a", a.endpoint()), openai("b", b.endpoint()), openai("dead", dead)});
  ASSERT_TRUE(registry);
  PerformanceMonitor monitor;
  const ClockFn clock = [&] { return env.now(); };
  std::vector<const BackendInstance*> all;
  for (const auto& i : registry->instances()) all.push_back(&i);
  const auto health =
      HealthChecker(default_backend_factory(), clock, k_health_timeout, http_model_info_probe()).check_all(all, {});
  for (std::size_t i = 0; i < all.size(); ++i) monitor.record_health(all[i]->name, health[i]);
  ASSERT_TRUE(monitor.stats("a").health->healthy) << monitor.stats("a").health->detail;
  ASSERT_TRUE(monitor.stats("b").health->healthy) << monitor.stats("b").health->detail;
  ASSERT_FALSE(monitor.stats("dead").health->healthy);
  // The servers run with -c 512: their /props says so, and a request needing
  // more context skips both with that reason.
  ASSERT_TRUE(monitor.stats("a").reported_model);
  EXPECT_EQ(monitor.stats("a").reported_model->context_length, 512);
  EXPECT_EQ(monitor.stats("a").reported_model->source, "/props");
  SelectionCriteria needs_more;
  needs_more.min_context_length = 1024;
  auto skipped = BackendSelector(*registry, monitor).select(needs_more, env.now());
  ASSERT_TRUE(skipped);
  EXPECT_EQ(skipped->instance, "rules");
  EXPECT_NE(skipped->selection_reason.find("a (context 512 < 1024 tokens, reported by /props)"), std::string::npos)
      << skipped->selection_reason;

  Dispatcher dispatcher(*registry, monitor, default_backend_factory(), clock);
  const Attempt attempt = [](llm::Backend& backend) -> Result<void> {
    llm::CompletionRequest request;
    request.messages = {{"user", "list files"}};
    request.max_tokens = 4;
    auto completion = backend.complete(request, [](std::string_view) {}, {});
    if (!completion) return fail(completion.error());
    return {};
  };
  std::vector<std::string> answered_by;
  for (int i = 0; i < 6; ++i) {
    if (i == 2) a.kill();
    SelectionCriteria criteria;
    if (i == 2) criteria.preferred = "a";  // still cached as healthy: the request finds out
    auto selection = BackendSelector(*registry, monitor).select(criteria, env.now());
    ASSERT_TRUE(selection) << selection.error().describe();
    EXPECT_NE(selection->instance, "dead");
    auto result = dispatcher.run(*selection, attempt, {});
    ASSERT_TRUE(result) << "request " << i << ": " << result.error().describe();
    answered_by.push_back(result->backend_used);
    if (i == 2) {
      EXPECT_EQ(result->backend_used, "b");
      ASSERT_EQ(result->notices.size(), 1u);
      EXPECT_NE(result->notices[0].find("answered by b instead"), std::string::npos) << result->notices[0];
    }
    if (i > 2) {
      EXPECT_EQ(result->backend_used, "b");
    }
    env.advance(std::chrono::seconds(1));
  }
  const auto killed = monitor.stats("a");
  EXPECT_GE(killed.failed_requests, 1u);
  EXPECT_FALSE(killed.health->healthy);
  EXPECT_LT(killed.availability, 1.0);
  EXPECT_EQ(monitor.stats("b").failed_requests, 0u);
  EXPECT_GE(monitor.stats("b").successful_requests, 4u);
}

}  // namespace
}  // namespace cmdai::routing
