// The shell integration starts the embedding agent when a real bash, zsh or
// fish starts under tmux (`cmdai init` with a local embedding model), so
// the first search in that shell finds the model loaded; with
// search.embed_agent_idle = 0 it starts none. No test measures time: waits
// are poll loops with a generous bound.

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>

#include <gtest/gtest.h>

#include <thread>

#include "core/paths.h"
#include "semantic/agent_embedder.h"
#include "semantic/agent_socket.h"
#include "semantic/embedder_factory.h"
#include "semantic/llama/llama_embedder.h"
#include "support/eventually.h"
#include "support/fake_env.h"
#include "support/process.h"
#include "support/read_file.h"
#include "support/temp_dir.h"
#include "tmux_session.h"

namespace cmdai {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using cmdai::testing::eventually;
using cmdai::testing::read_file;

class ShellStartsAgent : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!semantic::llama_embeddings_available()) GTEST_SKIP() << "this build has no llama.cpp";
    if (!fs::exists(m_model)) GTEST_SKIP() << "no tiny BERT model at " << m_model << " (the CTest fixture makes it)";
    testing::write_hermetic_shell_files(m_dir.path(), CMDAI_BINARY);
    fs::create_directories(m_runtime);
    fs::permissions(m_runtime, fs::perms::owner_all);
    // What a search in that shell sees: the same CMDAI_HOME, model and runtime directory.
    m_search_env.set_var("CMDAI_HOME", (m_dir / "cmdai").string());
    m_search_env.set_var("CMDAI_EMBEDDING_MODEL", m_model.string());
    m_search_env.set_var("XDG_RUNTIME_DIR", m_runtime.string());
    auto socket = semantic::agent_socket_path(m_search_env, m_dir / "cmdai", m_model);
    ASSERT_TRUE(socket.has_value()) << socket.error().describe();
    m_socket = *socket;
    m_lock = semantic::agent_lock_path(m_socket);
  }

  void TearDown() override {
    // The agent this test's shell started ends with the test.
    const int pid = std::atoi(read_file(m_lock).c_str());
    if (pid > 0 && !lock_is_free()) ::kill(pid, SIGKILL);
    EXPECT_TRUE(eventually([&] { return lock_is_free(); }));
  }

  bool lock_is_free() const {
    semantic::UniqueFd fd(::open(m_lock.c_str(), O_RDWR | O_CLOEXEC));
    return !fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0;
  }

  std::map<std::string, std::string> shell_env(const std::string& idle) const {
    auto env = testing::hermetic_shell_env(m_dir.path());
    env["CMDAI_EMBEDDING_MODEL"] = m_model.string();
    env["XDG_RUNTIME_DIR"] = m_runtime.string();
    env["CMDAI_EMBED_AGENT_IDLE"] = idle;
    return env;
  }

  // A search's embedder, as `cmdai search` opens it (one that starts no
  // agent of its own), asked for a query's vector: whether the agent answered.
  bool search_finds_agent() const {
    auto choice = semantic::open_embedder(m_search_env, resolve_paths(m_search_env), {}, semantic::AgentUse{60s, {}});
    if (!choice || !choice->embedder) return false;
    auto* agent = dynamic_cast<semantic::AgentEmbedder*>(choice->embedder.get());
    if (agent == nullptr) return false;
    auto vectors = agent->embed(std::vector<std::string>{"restart the web server"});
    return vectors.has_value() && !agent->agent_error().has_value();
  }

  testing::TempDir m_dir;
  fs::path m_runtime = m_dir / "run";
  fs::path m_model = fs::path(CMDAI_TINY_MODEL_DIR) / "bert.gguf";
  fs::path m_socket;
  fs::path m_lock;
  testing::FakeEnv m_search_env;
};

bool has(const std::string& screen, const std::string& text) { return screen.find(text) != std::string::npos; }

TEST_P(ShellStartsAgent, TheFirstSearchInANewShellFindsTheAgent) {
  EXPECT_FALSE(search_finds_agent());  // none before the shell starts
  testing::TmuxSession tmux(testing::hermetic_shell(GetParam(), m_dir.path()), shell_env("60"));
  ASSERT_TRUE(tmux.started());
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "READY> "); })) << tmux.screen();
  // The agent binds its socket once its model is loaded; a search then asks it.
  ASSERT_TRUE(eventually([&] { return fs::exists(m_socket); }));
  EXPECT_TRUE(search_finds_agent());
  // The shell says nothing about a background job, then or later.
  tmux.type("printf 'shell-%s\\n' ready");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "\nshell-ready\n"); })) << tmux.screen();
  const std::string screen = tmux.screen();
  EXPECT_FALSE(has(screen, "embed-agent")) << screen;
  EXPECT_FALSE(has(screen, "[1]")) << screen;
}

// Each prompt writes the agent's activity file, so an agent whose idle
// time is far shorter than the session stays the same process while
// commands run; left alone it exits, and the next prompt starts another.
TEST_P(ShellStartsAgent, PromptsKeepTheAgentLoadedAndStartItAgainOnceItIdledOut) {
  testing::TmuxSession tmux(testing::hermetic_shell(GetParam(), m_dir.path()), shell_env("2"));
  ASSERT_TRUE(tmux.started());
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "READY> "); })) << tmux.screen();
  ASSERT_TRUE(eventually([&] { return fs::exists(m_socket); }));
  const int first = std::atoi(read_file(m_lock).c_str());
  const auto until = std::chrono::steady_clock::now() + 6s;
  for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
    const std::string mark = "prompt-" + std::to_string(i);
    tmux.type("echo " + mark);
    tmux.press("Enter");
    ASSERT_TRUE(tmux.wait_for([&](const std::string& s) { return has(s, "\n" + mark + "\n"); })) << tmux.screen();
    std::this_thread::sleep_for(200ms);
  }
  // Three idle times have passed: the prompts kept the same agent.
  EXPECT_EQ(std::atoi(read_file(m_lock).c_str()), first);
  EXPECT_TRUE(fs::exists(m_socket));
  ASSERT_TRUE(eventually([&] { return !fs::exists(m_socket) && lock_is_free(); }));
  tmux.type("echo after-idle");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "\nafter-idle\n"); })) << tmux.screen();
  ASSERT_TRUE(eventually([&] { return fs::exists(m_socket); }));
  EXPECT_NE(std::atoi(read_file(m_lock).c_str()), first);
  EXPECT_TRUE(search_finds_agent());
}

TEST_P(ShellStartsAgent, NoAgentWhenTheIdleTimeIsZero) {
  auto printed = testing::run_process({CMDAI_BINARY, "init", GetParam()}, shell_env("0"));
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_FALSE(has(printed.out, "embed-agent")) << printed.out;
  testing::TmuxSession tmux(testing::hermetic_shell(GetParam(), m_dir.path()), shell_env("0"));
  ASSERT_TRUE(tmux.started());
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return has(s, "READY> "); })) << tmux.screen();
  EXPECT_FALSE(fs::exists(m_lock));
  EXPECT_FALSE(search_finds_agent());
}

INSTANTIATE_TEST_SUITE_P(Shells, ShellStartsAgent, ::testing::Values("bash", "zsh", "fish"));

}  // namespace
}  // namespace cmdai
