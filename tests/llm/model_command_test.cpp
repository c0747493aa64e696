// `cmdai model` end to end: pull through a loopback mirror (download,
// sha256, atomic rename), list, path, rm, and a pull that fails fast when
// there is no network.
#include <gtest/gtest.h>

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

TEST(ModelCommand, PullListPathRmThroughAMirror) {
  LoopbackServer server([](const RecordedRequest& r) {
    ScriptedResponse out;
    out.content_type = "application/octet-stream";
    out.status = r.path == "/bge-small-en-v1.5-q8_0.gguf" ? 200 : 404;
    out.chunks = {std::string("GGUF") + std::string(50'000, 'x')};
    out.chunked = false;
    return out;
  });
  testing::TempDir home;
  const std::map<std::string, std::string> env{{"CMDAI_MODEL_MIRROR", server.url()}};
  auto pull = cmdai(home, {"model", "pull", "bge-small-en"}, env);
  ASSERT_EQ(pull.exit_code, 0) << pull.err;
  EXPECT_NE(pull.out.find("installed bge-small-en"), std::string::npos);
  EXPECT_NE(pull.out.find("sha256 "), std::string::npos);
  auto path = cmdai(home, {"model", "path", "bge-small-en"});
  ASSERT_EQ(path.exit_code, 0);
  const std::filesystem::path file = path.out.substr(0, path.out.size() - 1);
  EXPECT_EQ(std::filesystem::file_size(file), 50'004U);
  auto list = cmdai(home, {"model", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("\"installed\": true"), std::string::npos) << list.out;
  auto again = cmdai(home, {"model", "pull", "bge-small-en"}, env);
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
