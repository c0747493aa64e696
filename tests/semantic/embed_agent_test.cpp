// The embedding agent as a real process (the built cmdai, `embed-agent`)
// with the tests' tiny BERT model, and AgentEmbedder, its client: the
// vectors it answers, how it ends, and every way the client falls back to
// embedding in-process. No test measures time: waits for an agent to start
// or end are poll loops with a generous bound.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "semantic/agent_embedder.h"
#include "semantic/agent_socket.h"
#include "semantic/embed_agent.h"
#include "semantic/embedder_factory.h"
#include "semantic/lazy_embedder.h"
#include "semantic/llama/llama_embedder.h"
#include "semantic/support.h"
#include "support/eventually.h"
#include "support/process.h"
#include "support/read_file.h"

namespace cmdai::semantic {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using cmdai::testing::eventually;
using cmdai::testing::read_file;

// A process of the test's own, killed and reaped when the object dies.
class Child {
 public:
  explicit Child(std::vector<std::string> argv) {
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    if (::posix_spawn(&m_pid, args[0], nullptr, nullptr, args.data(), environ) != 0) m_pid = 0;
  }
  ~Child() { stop(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return m_pid; }
  void stop() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    m_pid = 0;
  }

 private:
  pid_t m_pid = 0;
};

// Whether process holds a pidfd for pid (its fdinfo names the pid).
bool holds_pidfd_for(pid_t process, pid_t pid) {
  std::error_code ec;
  const fs::path fds = fs::path("/proc") / std::to_string(process) / "fd";
  for (const auto& entry : fs::directory_iterator(fds, ec)) {
    if (fs::read_symlink(entry.path(), ec).string() != "anon_inode:[pidfd]") continue;
    const std::string info =
        read_file(fs::path("/proc") / std::to_string(process) / "fdinfo" / entry.path().filename());
    if (info.find("Pid:\t" + std::to_string(pid) + "\n") != std::string::npos) return true;
  }
  return false;
}

class EmbedAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!llama_embeddings_available()) GTEST_SKIP() << "this build has no llama.cpp";
    m_model = fs::path(CMDAI_TINY_MODEL_DIR) / "bert.gguf";
    if (!fs::exists(m_model)) GTEST_SKIP() << "no tiny BERT model at " << m_model << " (the CTest fixture makes it)";
    fs::create_directories(m_runtime);
    fs::permissions(m_runtime, fs::perms::owner_all);
    m_env.set_var("XDG_RUNTIME_DIR", m_runtime.string());
    auto socket = agent_socket_path(m_env, m_home.path(), m_model);
    ASSERT_TRUE(socket.has_value()) << socket.error().describe();
    m_socket = *socket;
  }

  void TearDown() override {
    for (const auto& entry : fs::directory_iterator(m_runtime, m_ec)) {
      if (entry.path().extension() == ".lock") stop_agent(entry.path());
    }
  }

  // Ends the agent this test started, by the pid in its lock file.
  static void stop_agent(const fs::path& lock) {
    const int pid = std::atoi(read_file(lock).c_str());
    if (pid > 0 && !lock_is_free(lock)) ::kill(pid, SIGKILL);
    EXPECT_TRUE(eventually([&] { return lock_is_free(lock); }));
  }

  static bool lock_is_free(const fs::path& lock) {
    UniqueFd fd(::open(lock.c_str(), O_RDWR | O_CLOEXEC));
    return !fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0;
  }

  int agent_pid() const { return std::atoi(read_file(agent_lock_path(m_socket)).c_str()); }

  // The activity file's modification time, which touch_agent sets.
  std::chrono::system_clock::time_point activity_time() const {
    struct stat info {};
    EXPECT_EQ(::lstat(agent_activity_path(m_socket).c_str(), &info), 0);
    return std::chrono::system_clock::from_time_t(info.st_mtim.tv_sec);
  }
  void set_activity_time(std::chrono::system_clock::time_point time) const {
    std::ofstream(agent_activity_path(m_socket)).flush();
    const timespec at{std::chrono::system_clock::to_time_t(time), 0};
    const std::array<timespec, 2> times{at, at};
    ASSERT_EQ(::utimensat(AT_FDCWD, agent_activity_path(m_socket).c_str(), times.data(), AT_SYMLINK_NOFOLLOW), 0);
  }

  void start_agent(const fs::path& model, std::chrono::seconds idle = 60s) {
    ASSERT_TRUE(start_embed_agent({CMDAI_BINARY, m_socket, model, idle}).has_value());
    ASSERT_TRUE(eventually([&] { return answers(model); })) << "no agent answered at " << m_socket;
  }

  // One request without texts: the agent holds `model` and answers.
  bool answers(const fs::path& model) const {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    auto connection = connect_agent(m_socket, deadline);
    if (!connection) return false;
    auto identity = read_llama_embedder_identity(model);
    const EmbedRequest request{model.string(), identity ? identity->model_id : "", {}};
    if (!send_frame(connection->get(), FrameKind::embed_request, encode_request_payload(request), deadline)) {
      return false;
    }
    auto reply = receive_frame(connection->get(), k_max_reply_payload, deadline);
    return reply && reply->kind == FrameKind::vectors;
  }

  std::unique_ptr<AgentEmbedder> client(const fs::path& model, fs::path program = CMDAI_BINARY,
                                        std::chrono::milliseconds timeout = 30s) const {
    auto identity = read_llama_embedder_identity(model);
    EXPECT_TRUE(identity.has_value());
    LlamaEmbedderOptions options;
    options.model_path = model;
    auto lazy = std::make_unique<LazyEmbedder>(identity->model_id, identity->dimensions,
                                               [options] { return make_llama_embedder(options); });
    // The test process lives on: an agent it starts must not wait for its exit.
    return std::make_unique<AgentEmbedder>(
        AgentClientOptions{m_socket, model, std::move(program), 60s, timeout, AgentLaunch::Load::at_once},
        std::move(lazy));
  }

  static std::vector<Vector> in_process(const std::vector<std::string>& texts, const fs::path& model) {
    LlamaEmbedderOptions options;
    options.model_path = model;
    auto embedder = make_llama_embedder(options);
    EXPECT_TRUE(embedder.has_value());
    auto vectors = (*embedder)->embed(texts);
    EXPECT_TRUE(vectors.has_value());
    return vectors.value_or(std::vector<Vector>{});
  }
  std::vector<Vector> in_process(const std::vector<std::string>& texts) const { return in_process(texts, m_model); }

  std::error_code m_ec;
  cmdai::testing::TempDir m_home;
  cmdai::testing::TempDir m_dir;
  fs::path m_runtime = m_dir / "run";
  cmdai::testing::FakeEnv m_env;
  fs::path m_model;
  fs::path m_socket;
};

const std::vector<std::string> k_texts{"restart the web server", "df -h", "", "tar -czf logs.tgz /var/log"};

TEST_F(EmbedAgentTest, TheAgentsVectorsAreTheInProcessOnesBitForBit) {
  start_agent(m_model);
  auto embedder = client(m_model);
  auto vectors = embedder->embed(k_texts);
  ASSERT_TRUE(vectors.has_value()) << vectors.error().describe();
  EXPECT_FALSE(embedder->agent_error().has_value()) << embedder->agent_error()->describe();
  EXPECT_EQ(*vectors, in_process(k_texts));
  // The agent's context grew for that batch; a query's vector stays the same.
  auto query = embedder->embed(std::vector<std::string>{k_texts[0]});
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(query->front(), in_process({k_texts[0]}).front());
  EXPECT_FALSE(embedder->starts_agent());
}

TEST_F(EmbedAgentTest, TextsBeyondOneRequestGoInSeveral) {
  start_agent(m_model);
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < k_max_request_texts + 5; ++i) texts.push_back("echo " + std::to_string(i % 7));
  auto embedder = client(m_model);
  auto vectors = embedder->embed(texts);
  ASSERT_TRUE(vectors.has_value()) << vectors.error().describe();
  EXPECT_FALSE(embedder->agent_error().has_value());
  EXPECT_EQ(*vectors, in_process(texts));
}

TEST_F(EmbedAgentTest, AnIdleAgentExitsAndRemovesItsSocket) {
  start_agent(m_model, 1s);
  EXPECT_TRUE(eventually([&] { return lock_is_free(agent_lock_path(m_socket)); }));
  EXPECT_FALSE(fs::exists(m_socket));
}

// What the shell integration does after each command: a touched agent's
// idle time starts again, and it exits once the touches stop.
TEST_F(EmbedAgentTest, ATouchedAgentOutlivesItsIdleTimeAndExitsOnceLeftAlone) {
  start_agent(m_model, 1s);
  const auto until = std::chrono::steady_clock::now() + 3s;
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE(touch_agent(m_socket));
    std::this_thread::sleep_for(100ms);
  }
  // Three idle times have passed since the last request.
  EXPECT_TRUE(answers(m_model));
  EXPECT_TRUE(eventually([&] { return lock_is_free(agent_lock_path(m_socket)); }));
  EXPECT_FALSE(fs::exists(m_socket));
}

// An activity file written within the idle time before the agent starts
// (a prompt while it loaded) counts; one from long ago does not.
TEST_F(EmbedAgentTest, AnOldActivityFileDoesNotKeepANewAgent) {
  set_activity_time(std::chrono::system_clock::now() - 1h);
  start_agent(m_model, 1s);
  EXPECT_TRUE(eventually([&] { return lock_is_free(agent_lock_path(m_socket)); }));
}

TEST_F(EmbedAgentTest, AStaleSocketFallsBackInProcessAndTheAgentStartedReplacesIt) {
  { auto stale = listen_agent(m_socket); }  // bound, then closed: nothing listens
  ASSERT_TRUE(fs::exists(m_socket));
  auto embedder = client(m_model);
  auto vectors = embedder->embed(k_texts);
  ASSERT_TRUE(vectors.has_value()) << vectors.error().describe();
  EXPECT_EQ(*vectors, in_process(k_texts));
  ASSERT_TRUE(embedder->agent_error().has_value());
  EXPECT_EQ(embedder->agent_error()->code, ErrorCode::unavailable);
  EXPECT_TRUE(embedder->starts_agent());
  // Started when the embedder is done (a search's results are out by then), not before.
  EXPECT_FALSE(fs::exists(agent_lock_path(m_socket)));
  embedder.reset();
  EXPECT_TRUE(eventually([&] { return answers(m_model); }));
}

TEST_F(EmbedAgentTest, WithoutAProgramNoAgentIsStarted) {
  auto embedder = client(m_model, {});
  ASSERT_TRUE(embedder->embed(k_texts).has_value());
  EXPECT_TRUE(embedder->agent_error().has_value());
  EXPECT_FALSE(embedder->starts_agent());
  embedder.reset();
  EXPECT_FALSE(fs::exists(agent_lock_path(m_socket)));
}

TEST_F(EmbedAgentTest, AnAgentWithAnotherModelAnswersWrongModelAndIsLeftRunning) {
  const fs::path other = m_dir / "other-bert.gguf";
  fs::copy_file(m_model, other);
  start_agent(other);
  auto embedder = client(m_model);
  auto vectors = embedder->embed(k_texts);
  ASSERT_TRUE(vectors.has_value()) << vectors.error().describe();
  EXPECT_EQ(*vectors, in_process(k_texts));
  ASSERT_TRUE(embedder->agent_error().has_value());
  EXPECT_NE(embedder->agent_error()->message.find("another model"), std::string::npos)
      << embedder->agent_error()->message;
  EXPECT_FALSE(embedder->starts_agent());
  EXPECT_TRUE(answers(other));
}

TEST_F(EmbedAgentTest, AnAgentWhoseModelFileChangedStepsAside) {
  start_agent(m_model);
  auto connection = connect_agent(m_socket, std::chrono::steady_clock::now() + 30s);
  ASSERT_TRUE(connection.has_value());
  const EmbedRequest request{m_model.string(), "llama:bert.gguf:1:384:mean", {"x"}};
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  ASSERT_TRUE(
      send_frame(connection->get(), FrameKind::embed_request, encode_request_payload(request), deadline).has_value());
  auto reply = receive_frame(connection->get(), k_max_reply_payload, deadline);
  ASSERT_TRUE(reply.has_value()) << reply.error().describe();
  EXPECT_EQ(reply->kind, FrameKind::wrong_model);
  EXPECT_TRUE(eventually([&] { return lock_is_free(agent_lock_path(m_socket)); }));
  EXPECT_FALSE(fs::exists(m_socket));
}

TEST_F(EmbedAgentTest, AMalformedRequestGetsAFailureAndTheAgentServesOn) {
  start_agent(m_model);
  {
    auto connection = connect_agent(m_socket, std::chrono::steady_clock::now() + 30s);
    ASSERT_TRUE(connection.has_value());
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    ASSERT_TRUE(send_frame(connection->get(), FrameKind::embed_request, "\xff\xff\xff\x7f", deadline).has_value());
    auto reply = receive_frame(connection->get(), k_max_reply_payload, deadline);
    ASSERT_TRUE(reply.has_value()) << reply.error().describe();
    EXPECT_EQ(reply->kind, FrameKind::failure);
  }
  {
    // A header promising more than a request may hold is refused unread.
    auto connection = connect_agent(m_socket, std::chrono::steady_clock::now() + 30s);
    ASSERT_TRUE(connection.has_value());
    std::string header = encode_frame(FrameKind::embed_request, "").substr(0, k_frame_header_bytes);
    header[11] = '\x7f';
    ASSERT_EQ(::write(connection->get(), header.data(), header.size()), static_cast<ssize_t>(header.size()));
    auto reply = receive_frame(connection->get(), k_max_reply_payload, std::chrono::steady_clock::now() + 30s);
    ASSERT_TRUE(reply.has_value()) << reply.error().describe();
    EXPECT_EQ(reply->kind, FrameKind::failure);
  }
  {
    auto connection = connect_agent(m_socket, std::chrono::steady_clock::now() + 30s);  // says nothing, leaves
  }
  EXPECT_TRUE(answers(m_model));
}

TEST_F(EmbedAgentTest, AStoppedAgentTimesOutAndTheClientFallsBack) {
  start_agent(m_model);
  const int pid = agent_pid();
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  auto embedder = client(m_model, CMDAI_BINARY, 300ms);
  auto vectors = embedder->embed(k_texts);
  ::kill(pid, SIGKILL);
  ASSERT_TRUE(vectors.has_value()) << vectors.error().describe();
  EXPECT_EQ(*vectors, in_process(k_texts));
  ASSERT_TRUE(embedder->agent_error().has_value());
  EXPECT_EQ(embedder->agent_error()->code, ErrorCode::timeout);
  EXPECT_FALSE(embedder->starts_agent()) << "an agent that exists but is slow is left alone";
}

// The agent's listening socket and the connections waiting on it, in /proc/net/unix.
int sockets_at(const fs::path& socket) {
  std::istringstream lines(read_file("/proc/net/unix"));
  int count = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > socket.native().size() && line.ends_with(" " + socket.native())) ++count;
  }
  return count;
}

TEST_F(EmbedAgentTest, AnAgentKilledMidRequestFallsBackWithoutHanging) {
  start_agent(m_model);
  const int pid = agent_pid();
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);  // the request waits, unanswered
  const int before = sockets_at(m_socket);
  auto embedder = client(m_model);
  Result<std::vector<Vector>> vectors;
  std::thread asking([&] { vectors = embedder->embed(k_texts); });
  // The client's connection is queued at the stopped agent: kill it now.
  EXPECT_TRUE(eventually([&] { return sockets_at(m_socket) > before; }));
  ::kill(pid, SIGKILL);
  asking.join();
  ASSERT_TRUE(vectors.has_value()) << vectors.error().describe();
  EXPECT_EQ(*vectors, in_process(k_texts));
  ASSERT_TRUE(embedder->agent_error().has_value());
  EXPECT_NE(embedder->agent_error()->code, ErrorCode::timeout) << embedder->agent_error()->describe();
}

TEST_F(EmbedAgentTest, AnotherAgentForTheSameSocketLeavesTheFirstOne) {
  start_agent(m_model);
  const int first = agent_pid();
  auto second = cmdai::testing::run_process({CMDAI_BINARY, "embed-agent", m_socket.string(), m_model.string(), "60"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(agent_pid(), first);
  EXPECT_TRUE(answers(m_model));
}

TEST_F(EmbedAgentTest, AnAgentLoadsTheModelOnlyOnceItsStarterHasExited) {
  Child starter({"/bin/sleep", "600"});
  ASSERT_GT(starter.pid(), 0);
  Child agent({CMDAI_BINARY, "embed-agent", m_socket.string(), m_model.string(), "60", std::to_string(starter.pid())});
  ASSERT_GT(agent.pid(), 0);
  // It holds the lock and waits for the starter: no model, no socket.
  ASSERT_TRUE(eventually([&] { return holds_pidfd_for(agent.pid(), starter.pid()); }));
  EXPECT_EQ(agent_pid(), agent.pid());
  EXPECT_FALSE(fs::exists(m_socket));
  starter.stop();
  EXPECT_TRUE(eventually([&] { return answers(m_model); }));
}

// What the shell integration runs when a shell starts (cmdai embed-agent start).
TEST_F(EmbedAgentTest, AnAgentStartedAheadIsStartedOnceAndOnlyWhenConfigured) {
  m_env.set_var("CMDAI_EMBEDDING_MODEL", m_model.string());
  const Paths paths{m_home / "config.toml", m_home / "history.db", m_home / "models", m_home / "cmdai.log"};
  const AgentUse use{60s, CMDAI_BINARY};
  EXPECT_EQ(start_agent_ahead(m_env, paths, AgentUse{0s, CMDAI_BINARY}).value(), AgentStart::not_configured);
  EXPECT_EQ(start_agent_ahead(m_env, paths, AgentUse{60s, {}}).value(), AgentStart::not_configured);
  EXPECT_FALSE(fs::exists(agent_lock_path(m_socket)));
  // A lock file naming a process that has exited but is not reaped yet (a
  // zombie) is no agent.
  Child exited({"/bin/true"});
  ASSERT_TRUE(eventually(
      [&] { return read_file("/proc/" + std::to_string(exited.pid()) + "/stat").find(") Z") != std::string::npos; }));
  std::ofstream(agent_lock_path(m_socket)) << exited.pid() << "\n";
  EXPECT_EQ(start_agent_ahead(m_env, paths, use).value(), AgentStart::started);
  ASSERT_TRUE(eventually([&] { return answers(m_model); }));
  const int first = agent_pid();
  // An agent alive is touched: its idle time starts again.
  set_activity_time(std::chrono::system_clock::now() - 1h);
  EXPECT_EQ(start_agent_ahead(m_env, paths, use).value(), AgentStart::running);
  EXPECT_EQ(agent_pid(), first);
  EXPECT_GT(activity_time(), std::chrono::system_clock::now() - 1min);
  m_env.set_var("CMDAI_EMBEDDING_MODEL", "builtin:ngram-test");
  EXPECT_EQ(start_agent_ahead(m_env, paths, use).value(), AgentStart::not_configured);
}

TEST_F(EmbedAgentTest, TheSocketDirectoryIsPrivate) {
  struct stat info {};
  ASSERT_EQ(::lstat(m_socket.parent_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 077, 0u);
  start_agent(m_model);
  ASSERT_EQ(::lstat(m_socket.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 077, 0u);
}

TEST_F(EmbedAgentTest, UsersAreToldNotToRunItByHand) {
  auto help = cmdai::testing::run_process({CMDAI_BINARY, "embed-agent", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("users do not run it by hand"), std::string::npos) << help.out;
  auto wrong = cmdai::testing::run_process({CMDAI_BINARY, "embed-agent", "now"});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("users do not run it by hand"), std::string::npos) << wrong.err;
  auto no_pid =
      cmdai::testing::run_process({CMDAI_BINARY, "embed-agent", m_socket.string(), m_model.string(), "60", "parent"});
  EXPECT_NE(no_pid.exit_code, 0);
  EXPECT_FALSE(fs::exists(agent_lock_path(m_socket)));
  auto listed = cmdai::testing::run_process({CMDAI_BINARY, "--help"});
  EXPECT_EQ(listed.out.find("embed-agent"), std::string::npos);
}

// cmdai search as a user runs it, against a history indexed with the model.
class SearchWithAgentTest : public EmbedAgentTest {
 protected:
  void SetUp() override {
    EmbedAgentTest::SetUp();
    if (IsSkipped()) return;
    {
      auto store = history::HistoryStore::open(m_home / "history.db");
      ASSERT_TRUE(store.has_value());
      for (const char* command : {"systemctl restart nginx", "df -h", "git log --oneline", "tar -czf a.tgz logs"}) {
        ASSERT_TRUE(store->insert(testing::make_entry(command)).has_value());
      }
    }
    auto indexed = cmdai({"history", "reindex"}, "0");
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }

  cmdai::testing::ProcessResult cmdai(std::vector<std::string> args, const std::string& idle) const {
    args.insert(args.begin(), CMDAI_BINARY);
    return cmdai::testing::run_process(args, {{"CMDAI_HOME", m_home.path().string()},
                                              {"CMDAI_EMBEDDING_MODEL", m_model.string()},
                                              {"XDG_RUNTIME_DIR", m_runtime.string()},
                                              {"CMDAI_EMBED_AGENT_IDLE", idle},
                                              {"NO_COLOR", "1"}});
  }

  // The agents alive for this test's socket, by their command lines.
  std::vector<int> agents() const {
    std::vector<int> pids;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string cmdline = read_file(entry.path() / "cmdline");
      const std::string state = read_file(entry.path() / "stat");
      if (cmdline.find(m_socket.native()) != std::string::npos && state.find(") Z") == std::string::npos) {
        pids.push_back(std::stoi(name));
      }
    }
    return pids;
  }
};

TEST_F(SearchWithAgentTest, NoAgentStartsWhenTheIdleTimeIsZero) {
  auto r = cmdai({"search", "--mode", "semantic", "restart the web server"}, "0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(agent_lock_path(m_socket)));
  EXPECT_FALSE(fs::exists(m_socket));
  EXPECT_TRUE(agents().empty());
}

TEST_F(SearchWithAgentTest, TheFirstSearchStartsAnAgentTheNextUses) {
  // run_process reads the search's stdout and stderr to their end: a search
  // whose agent held them open would not return.
  auto first = cmdai({"search", "--mode", "semantic", "--json", "restart the web server"}, "60");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(eventually([&] { return answers(m_model); }));
  auto next = cmdai({"search", "--mode", "semantic", "--json", "show disk usage"}, "60");
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(agents().size(), 1u);
}

TEST_F(SearchWithAgentTest, TwoFirstSearchesAtOnceLeaveOneAgent) {
  cmdai::testing::ProcessResult one;
  cmdai::testing::ProcessResult two;
  std::thread other([&] { two = cmdai({"search", "--mode", "semantic", "restart the web server"}, "60"); });
  one = cmdai({"search", "--mode", "semantic", "show disk usage"}, "60");
  other.join();
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  ASSERT_TRUE(eventually([&] { return answers(m_model); }));
  // An agent that lost the lock exits at once; two agents sharing the
  // socket would both stay until idle.
  EXPECT_TRUE(eventually([&] { return agents().size() == 1; })) << agents().size();
  EXPECT_EQ(agents(), std::vector<int>{agent_pid()});
}

}  // namespace
}  // namespace cmdai::semantic
