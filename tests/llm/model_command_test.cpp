// `cmdai model` end to end: a pull through a loopback mirror that serves
// the wrong bytes is refused (sha256, size), list, path, rm, and a pull that
// fails fast when there is no network.
#include <gtest/gtest.h>

#include <fstream>

#include "support/process.h"
#include "support/temp_dir.h"
#include "tools/llama_server.h"
#include "tools/loopback_server.h"

namespace cmdai::llm {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

testing::ProcessResult cmdai(const testing::TempDir& home, std::vector<std::string> args,
                             std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), CMDAI_BINARY);
  env["CMDAI_HOME"] = home.path().string();
  return testing::run_process(args, env);
}

// The catalog pins bge-small-en to 36,806,944 bytes with a fixed sha256; a
// mirror serving anything else must not get a file installed.
TEST(ModelCommand, PullRefusesAFileWhoseSha256DoesNotMatch) {
  const std::string wrong(36'806'944, 'x');  // the pinned size, other bytes
  LoopbackServer server([&wrong](const RecordedRequest& r) {
    ScriptedResponse out;
    out.content_type = "application/octet-stream";
    out.status = r.path == "/bge-small-en-v1.5-q8_0.gguf" ? 200 : 404;
    for (std::size_t i = 0; i < wrong.size(); i += 1 << 20) out.chunks.push_back(wrong.substr(i, 1 << 20));
    out.chunked = false;
    return out;
  });
  testing::TempDir home;
  auto pull = cmdai(home, {"model", "pull", "bge-small-en"}, {{"CMDAI_MODEL_MIRROR", server.url()}});
  EXPECT_EQ(pull.exit_code, 1) << pull.err;
  EXPECT_NE(pull.err.find("sha256"), std::string::npos) << pull.err;
  EXPECT_NE(pull.err.find("ec38e8da142596baa913124ae50550de284b6916bf59577ef2f0cb9660c2f514"), std::string::npos)
      << pull.err;
  EXPECT_FALSE(std::filesystem::exists(home / "models" / "bge-small-en-v1.5-q8_0.gguf"));
  EXPECT_FALSE(std::filesystem::exists(home / "models" / "bge-small-en-v1.5-q8_0.gguf.part"));
}

TEST(ModelCommand, PullStopsAFileLongerThanThePinnedSize) {
  LoopbackServer server([](const RecordedRequest&) {
    ScriptedResponse out;
    out.content_type = "application/octet-stream";
    for (int i = 0; i < 40; ++i) out.chunks.push_back(std::string(1 << 20, 'y'));  // 40 MiB > 35.1 MiB
    out.chunked = false;
    return out;
  });
  testing::TempDir home;
  auto pull = cmdai(home, {"model", "pull", "bge-small-en"}, {{"CMDAI_MODEL_MIRROR", server.url()}});
  EXPECT_EQ(pull.exit_code, 1) << pull.err;
  EXPECT_NE(pull.err.find("more than the model's 36806944 bytes"), std::string::npos) << pull.err;
  EXPECT_FALSE(std::filesystem::exists(home / "models" / "bge-small-en-v1.5-q8_0.gguf"));
  EXPECT_FALSE(std::filesystem::exists(home / "models" / "bge-small-en-v1.5-q8_0.gguf.part"));
}

TEST(ModelCommand, ListPathRmOfAnInstalledModel) {
  testing::TempDir home;
  std::filesystem::create_directories(home / "models");
  const auto file = home / "models" / "bge-small-en-v1.5-q8_0.gguf";
  std::ofstream(file, std::ios::binary) << "GGUF" << std::string(50'000, 'x');
  auto path = cmdai(home, {"model", "path", "bge-small-en"});
  ASSERT_EQ(path.exit_code, 0);
  EXPECT_EQ(path.out, file.string() + "\n");
  auto list = cmdai(home, {"model", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("\"installed\": true"), std::string::npos) << list.out;
  auto again = cmdai(home, {"model", "pull", "bge-small-en"});
  EXPECT_NE(again.out.find("already installed"), std::string::npos);
  EXPECT_EQ(cmdai(home, {"model", "rm", "bge-small-en"}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_NE(cmdai(home, {"model", "rm", "bge-small-en"}).exit_code, 0);
}

TEST(ModelCommand, PullWithoutNetworkFailsFastWithAClearMessage) {
  testing::TempDir home;
  // A proxy port nothing listens on stands in for "no network" whatever
  // this machine can reach.
  const std::string proxy = "http://127.0.0.1:" + std::to_string(testing::free_loopback_port());
  auto pull =
      cmdai(home, {"model", "pull", "qwen2.5-coder-0.5b"},
            {{"https_proxy", proxy}, {"HTTPS_PROXY", proxy}, {"no_proxy", "\x01unset"}, {"NO_PROXY", "\x01unset"}});
  EXPECT_EQ(pull.exit_code, 3) << pull.err;
  EXPECT_NE(pull.err.find("download failed"), std::string::npos) << pull.err;
  EXPECT_NE(pull.err.find("--model PATH.gguf"), std::string::npos) << pull.err;
  EXPECT_FALSE(std::filesystem::exists(home / "models" / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"));
}

TEST(ModelCommand, UnknownNameSuggestsTheClosest) {
  testing::TempDir home;
  auto pull = cmdai(home, {"model", "pull", "bge-small"});
  EXPECT_EQ(pull.exit_code, 5);
  EXPECT_NE(pull.err.find("did you mean bge-small-en"), std::string::npos) << pull.err;
  EXPECT_EQ(cmdai(home, {"model", "pull"}).exit_code, 2);
}

}  // namespace
}  // namespace cmdai::llm
