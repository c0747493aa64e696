// Where the embedding agent's socket lives: a private directory, a name
// hashed from the history's directory and the model, a path that fits a
// socket address however long CMDAI_HOME is.

#include "semantic/agent_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::semantic {
namespace {

namespace fs = std::filesystem;

class AgentSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(m_runtime);
    fs::permissions(m_runtime, fs::perms::owner_all);
    m_env.set_var("XDG_RUNTIME_DIR", m_runtime.string());
    m_env.set_var("TMPDIR", (m_dir / "tmp").string());
    fs::create_directories(m_dir / "tmp");
  }
  cmdai::testing::TempDir m_dir;
  fs::path m_runtime = m_dir / "run";
  cmdai::testing::FakeEnv m_env;
};

TEST_F(AgentSocketTest, ThePrivateRuntimeDirectoryHoldsTheSocket) {
  auto socket = agent_socket_path(m_env, "/home/u/.local/share/cmdai", "/models/bge.gguf");
  ASSERT_TRUE(socket.has_value()) << socket.error().describe();
  EXPECT_EQ(socket->parent_path(), m_runtime);
  EXPECT_EQ(socket->extension(), ".sock");
  EXPECT_EQ(agent_lock_path(*socket).parent_path(), m_runtime);
  EXPECT_EQ(agent_lock_path(*socket).extension(), ".lock");
}

TEST_F(AgentSocketTest, HomesAndModelsNeverShareASocket) {
  const auto a = agent_socket_path(m_env, "/home/a/data", "/models/bge.gguf");
  const auto b = agent_socket_path(m_env, "/home/b/data", "/models/bge.gguf");
  const auto c = agent_socket_path(m_env, "/home/a/data", "/models/minilm.gguf");
  const auto again = agent_socket_path(m_env, "/home/a/data/", "/models/./bge.gguf");
  ASSERT_TRUE(a && b && c && again);
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_EQ(*a, *again) << "the same directory and model, spelt differently";
}

TEST_F(AgentSocketTest, ALongHomeStillFitsASocketAddress) {
  const fs::path home = "/tmp/" + std::string(200, 'h') + "/" + std::string(200, 'o');
  auto socket = agent_socket_path(m_env, home, home / "models" / "bge.gguf");
  ASSERT_TRUE(socket.has_value()) << socket.error().describe();
  EXPECT_LT(socket->native().size(), sizeof(sockaddr_un::sun_path));
  auto listening = listen_agent(*socket);
  EXPECT_TRUE(listening.has_value()) << listening.error().describe();
}

TEST_F(AgentSocketTest, ARuntimeDirectoryOpenToOthersIsPassedOver) {
  fs::permissions(m_runtime, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read |
                                 fs::perms::group_exec | fs::perms::others_exec);
  auto socket = agent_socket_path(m_env, "/home/u/data", "/models/bge.gguf");
  ASSERT_TRUE(socket.has_value()) << socket.error().describe();
  const fs::path own = m_dir / "tmp" / ("cmdai-" + std::to_string(::geteuid()));
  EXPECT_EQ(socket->parent_path(), own);
  struct stat info {};
  ASSERT_EQ(::lstat(own.c_str(), &info), 0);
  EXPECT_TRUE(S_ISDIR(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0700u);
}

TEST_F(AgentSocketTest, ATempDirectoryThatIsASymlinkOrOpenToOthersIsRefused) {
  m_env.set_var("XDG_RUNTIME_DIR", "");
  const fs::path own = m_dir / "tmp" / ("cmdai-" + std::to_string(::geteuid()));
  fs::create_directories(m_dir / "elsewhere");
  fs::permissions(m_dir / "elsewhere", fs::perms::owner_all);
  fs::create_directory_symlink(m_dir / "elsewhere", own);
  auto through_link = agent_socket_dir(m_env);
  ASSERT_FALSE(through_link.has_value());
  EXPECT_EQ(through_link.error().code, ErrorCode::unavailable);
  fs::remove(own);
  fs::create_directory(own);
  fs::permissions(own, fs::perms::all);
  auto open = agent_socket_dir(m_env);
  ASSERT_FALSE(open.has_value());
  EXPECT_EQ(fs::status(own).permissions(), fs::perms::all) << "never chmod-ed";
}

TEST_F(AgentSocketTest, NothingListeningIsUnavailable) {
  auto socket = agent_socket_path(m_env, "/home/u/data", "/models/bge.gguf");
  ASSERT_TRUE(socket.has_value());
  auto missing = connect_agent(*socket, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::unavailable);
  { auto stale = listen_agent(*socket); }
  auto refused = connect_agent(*socket, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
}

TEST_F(AgentSocketTest, AFrameCrossesASocketAndAPeerOfTheSameUserIsKnown) {
  auto socket = agent_socket_path(m_env, "/home/u/data", "/models/bge.gguf");
  ASSERT_TRUE(socket.has_value());
  auto listener = listen_agent(*socket);
  ASSERT_TRUE(listener.has_value());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto client = connect_agent(*socket, deadline);
  ASSERT_TRUE(client.has_value()) << client.error().describe();
  UniqueFd served(::accept4(listener->get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
  ASSERT_TRUE(served);
  EXPECT_TRUE(peer_is_same_user(served.get()));
  ASSERT_TRUE(send_frame(client->get(), FrameKind::failure, encode_text_payload("hello"), deadline).has_value());
  auto frame = receive_frame(served.get(), 1024, deadline);
  ASSERT_TRUE(frame.has_value()) << frame.error().describe();
  EXPECT_EQ(frame->kind, FrameKind::failure);
  EXPECT_EQ(decode_text_payload(frame->payload).value_or(""), "hello");
  // Nothing more comes: the wait ends at its deadline.
  auto silent = receive_frame(served.get(), 1024, std::chrono::steady_clock::now());
  ASSERT_FALSE(silent.has_value());
  EXPECT_EQ(silent.error().code, ErrorCode::timeout);
  client = UniqueFd();
  auto closed = receive_frame(served.get(), 1024, deadline);
  ASSERT_FALSE(closed.has_value());
  EXPECT_EQ(closed.error().code, ErrorCode::io_error);
}

}  // namespace
}  // namespace cmdai::semantic
